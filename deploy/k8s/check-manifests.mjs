// Checks one rendered kustomization, read as kubectl prints it with -o json (one object after another),
// for mistakes a cluster would only show at apply time or later:
//   node check-manifests.mjs NAME [--complete] < rendered.json
// Every object: apiVersion, kind, a valid metadata.name, no two alike. Workloads: selectors match their
// pods. Services and PodDisruptionBudgets: their selectors match some pods, named target ports exist.
// StatefulSets: their serviceName is a headless Service. With --complete (an overlay, applied as a whole):
// every ConfigMap, Secret and key a pod reads, every ServiceAccount it runs as, every $(VAR) it expands
// exists, and every address in the services' settings (dns:///, http://, host:port lists) names a
// Service or a StatefulSet pod of the render.
import { readFileSync } from "node:fs";

const [name, ...flags] = process.argv.slice(2);
const complete = flags.includes("--complete");
const problems = [];
const fail = (what) => problems.push(what);

const objects = parse(readFileSync(0, "utf8"));
const id = (o) => `${o.kind}/${o.metadata?.name ?? "?"}`;
const byKind = (kind) => objects.filter((o) => o.kind === kind);
const named = (kind, n) => objects.find((o) => o.kind === kind && o.metadata?.name === n);

// kubectl -o json prints each object as its own document: "}\n{" between them, never inside one.
function parse(text) {
  const trimmed = text.trim();
  if (!trimmed) return [];
  try {
    return JSON.parse(`[${trimmed.replace(/\n}\n{/g, "\n},\n{")}]`).flatMap((o) => (o.kind === "List" ? o.items : [o]));
  } catch (e) {
    console.error(`${name}: not readable as JSON: ${e.message}`);
    process.exit(1);
  }
}

const dnsName = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const seen = new Set();
for (const o of objects) {
  if (!o.apiVersion) fail(`${id(o)}: no apiVersion`);
  if (!o.kind) fail(`an object with no kind: ${JSON.stringify(o).slice(0, 80)}`);
  const n = o.metadata?.name;
  if (!n) fail(`${id(o)}: no metadata.name`);
  else if (!dnsName.test(n) || n.length > 253) fail(`${id(o)}: '${n}' is not a valid name`);
  else if (o.kind === "Service" && n.length > 63) fail(`${id(o)}: a Service's name has at most 63 characters`);
  const key = `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ""}/${n}`;
  if (seen.has(key)) fail(`${id(o)}: defined twice`);
  seen.add(key);
}

// Pods as their controllers template them.
const workloads = objects
  .map((o) => ({ o, pod: o.kind === "CronJob" ? o.spec?.jobTemplate?.spec?.template : o.spec?.template }))
  .filter((w) => ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"].includes(w.o.kind) && w.pod);
// A custom resource (a RabbitmqCluster, say) stands for the pods its operator makes, which carry its name
// as app.kubernetes.io/name, the operators' common convention.
const builtIn = /^(v1|(apps|batch|policy|rbac\.authorization\.k8s\.io|networking\.k8s\.io|autoscaling|storage\.k8s\.io|coordination\.k8s\.io|scheduling\.k8s\.io|admissionregistration\.k8s\.io|apiextensions\.k8s\.io)\/.+)$/;
for (const o of objects.filter((o) => o.apiVersion && !builtIn.test(o.apiVersion)))
  workloads.push({ o, pod: { metadata: { labels: { "app.kubernetes.io/name": o.metadata?.name } }, operatorMade: true } });
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const podsSelectedBy = (selector) => workloads.filter((w) => matches(selector, w.pod.metadata?.labels));
const containersOf = (pod) => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];

for (const { o, pod } of workloads.filter((w) => !w.pod.operatorMade)) {
  const selector = o.spec?.selector?.matchLabels;
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(o.kind)) {
    if (!selector || Object.keys(selector).length === 0) fail(`${id(o)}: no selector.matchLabels`);
    else if (!matches(selector, pod.metadata?.labels)) fail(`${id(o)}: its selector does not match its own pods' labels`);
  }
  if (!(pod.spec?.containers ?? []).length) fail(`${id(o)}: no containers`);
  for (const c of containersOf(pod)) if (!c.image) fail(`${id(o)}: container ${c.name} has no image`);
}

for (const svc of byKind("Service")) {
  const selector = svc.spec?.selector;
  if (!selector) continue; // endpoints managed elsewhere
  const pods = podsSelectedBy(selector);
  if (!pods.length) fail(`${id(svc)}: its selector ${JSON.stringify(selector)} matches no pods`);
  for (const port of svc.spec?.ports ?? []) {
    if (typeof port.targetPort !== "string" || !pods.length) continue;
    for (const w of pods.filter((w) => !w.pod.operatorMade))
      if (!containersOf(w.pod).some((c) => (c.ports ?? []).some((p) => p.name === port.targetPort)))
        fail(`${id(svc)}: target port '${port.targetPort}' is not a port of ${id(w.o)}'s containers`);
  }
}

for (const pdb of byKind("PodDisruptionBudget"))
  if (!podsSelectedBy(pdb.spec?.selector?.matchLabels).length) fail(`${id(pdb)}: its selector matches no pods`);

for (const sts of byKind("StatefulSet")) {
  const svc = named("Service", sts.spec?.serviceName);
  if (!svc) fail(`${id(sts)}: serviceName '${sts.spec?.serviceName}' is not a Service here`);
  else if (svc.spec?.clusterIP !== "None") fail(`${id(sts)}: its Service ${svc.metadata.name} is not headless`);
}

// Settings each Marketplace process needs at start-up (as environment variables).
const backends = ["Auth__SigningKey", "ConnectionStrings__Redis", "ConnectionStrings__RabbitMq"];
const requiredSettings = { provider: backends, broker: backends, billing: backends, console: ["Auth__SigningKey"] };

if (complete) {
  const keysOf = (o) => Object.keys({ ...(o?.data ?? {}), ...(o?.stringData ?? {}), ...(o?.binaryData ?? {}) });
  const needs = (owner, kind, ref, key, optional) => {
    if (!ref || optional) return;
    const found = named(kind, ref);
    if (!found) fail(`${owner}: ${kind} '${ref}' is not in the render`);
    else if (key && !keysOf(found).includes(key)) fail(`${owner}: ${kind} '${ref}' has no key '${key}'`);
  };
  for (const { o, pod } of workloads.filter((w) => !w.pod.operatorMade)) {
    const sa = pod.spec?.serviceAccountName;
    if (sa && sa !== "default") needs(id(o), "ServiceAccount", sa);
    for (const v of pod.spec?.volumes ?? []) {
      needs(id(o), "ConfigMap", v.configMap?.name, null, v.configMap?.optional);
      needs(id(o), "Secret", v.secret?.secretName, null, v.secret?.optional);
      for (const s of v.projected?.sources ?? []) {
        needs(id(o), "ConfigMap", s.configMap?.name, null, s.configMap?.optional);
        needs(id(o), "Secret", s.secret?.name, null, s.secret?.optional);
      }
    }
    for (const c of containersOf(pod)) {
      const owner = `${id(o)} container ${c.name}`;
      const defined = new Set();
      for (const from of c.envFrom ?? []) {
        needs(owner, "ConfigMap", from.configMapRef?.name, null, from.configMapRef?.optional);
        needs(owner, "Secret", from.secretRef?.name, null, from.secretRef?.optional);
        const source = from.configMapRef ? named("ConfigMap", from.configMapRef.name) : named("Secret", from.secretRef?.name);
        keysOf(source).forEach((k) => defined.add((from.prefix ?? "") + k));
      }
      for (const e of c.env ?? []) {
        const ref = e.valueFrom;
        needs(owner, "ConfigMap", ref?.configMapKeyRef?.name, ref?.configMapKeyRef?.key, ref?.configMapKeyRef?.optional);
        needs(owner, "Secret", ref?.secretKeyRef?.name, ref?.secretKeyRef?.key, ref?.secretKeyRef?.optional);
        // Kubernetes expands $(VAR) from variables defined before it (envFrom, or earlier in env).
        for (const [, v] of (e.value ?? "").matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g))
          if (!defined.has(v)) fail(`${owner}: ${e.name} expands $(${v}), which is not defined before it`);
        defined.add(e.name);
      }
      // What a Marketplace process refuses to start without, in a container that runs one (not its init
      // containers, which only wait for the backends).
      const service = /(^|\/)marketplace\/(provider|broker|billing|console)(:|@|$)/.exec(c.image ?? "")?.[2];
      if (service && (pod.spec?.containers ?? []).includes(c))
        for (const setting of requiredSettings[service])
          if (!defined.has(setting)) fail(`${owner}: ${setting} is not set, and ${service} does not start without it`);
    }
  }

  // Addresses the services are configured with name something this render creates.
  const hostExists = (host) => {
    const short = host.replace(/\.(svc|[a-z0-9-]+\.svc)(\.cluster\.local)?$/, "");
    const [first, second] = short.split(".");
    if (second === undefined) return Boolean(named("Service", first));
    const sts = byKind("StatefulSet").find((s) => s.spec?.serviceName === second && first.startsWith(`${s.metadata.name}-`));
    const ordinal = sts ? Number(first.slice(sts.metadata.name.length + 1)) : NaN;
    return Boolean(sts) && Number.isInteger(ordinal) && ordinal < (sts.spec?.replicas ?? 1);
  };
  for (const cm of byKind("ConfigMap")) {
    for (const [key, value] of Object.entries(cm.data ?? {})) {
      const owner = `${id(cm)} ${key}`;
      const dns = /^dns:\/\/\/([^:/]+):(\d+)$/.exec(value);
      const http = /^https?:\/\/([^:/+*]+)(:\d+)?\/?$/.exec(value);
      if (dns) {
        const svc = named("Service", dns[1]);
        if (!svc) fail(`${owner}: ${value} names no Service here`);
        else if (svc.spec?.clusterIP !== "None") fail(`${owner}: ${value} resolves to one ClusterIP, not every pod: use a headless Service`);
      } else if (/^static:\/\/\//.test(value)) {
        fail(`${owner}: ${value}: a fixed list of pods has no place in a cluster; use dns:/// and a headless Service`);
      } else if (http && !["localhost", "127.0.0.1", "0.0.0.0"].includes(http[1]) && !hostExists(http[1])) {
        fail(`${owner}: ${value} names no Service here`);
      } else if (/^(REDIS_ENDPOINTS|QUOTE_CACHE_ENDPOINT|BACKENDS)$/.test(key)) {
        for (const entry of value.split(/[ ,]+/).filter((e) => e && !e.includes("=")))
          if (!hostExists(entry.split(":")[0])) fail(`${owner}: ${entry} names no Service or StatefulSet pod here`);
      }
    }
  }
}

if (problems.length) {
  console.error(`${name}: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`${name}: ${objects.length} objects ok${complete ? " (references resolved)" : ""}`);
