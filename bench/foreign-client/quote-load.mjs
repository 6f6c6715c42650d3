// RequestQuote from a client that shares no code with the product: Node's @grpc/grpc-js and the .proto
// files alone. Callers keep one call each in flight for --seconds; a round times the baseline, provider
// GetAccelerator (answered from memory: the cost of a unary call through the service defaults and auth,
// from this client), and then RequestQuote, back to back, with the same callers and client.
//
//   node quote-load.mjs --broker 127.0.0.1:5102 --provider 127.0.0.1:5101 --token "$TENANT_TOKEN" --tenant acme-ai
import grpc from '@grpc/grpc-js';
import loader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).map((a, i, all) => a.startsWith('--') ? [a.slice(2), all[i + 1]] : null).filter(Boolean));
const opt = {
  broker: args.broker ?? '127.0.0.1:5102', provider: args.provider ?? '127.0.0.1:5101', token: args.token ?? process.env.TENANT_TOKEN, tenant: args.tenant ?? 'acme-ai',
  model: args.model ?? 'H20', callers: +(args.callers ?? 64), seconds: +(args.seconds ?? 10), warmup: +(args.warmup ?? 2),
  rounds: +(args.rounds ?? 3), deadlineMs: +(args['deadline-ms'] ?? 5000),
};
if (!opt.token) { console.error('a tenant token is needed: --token, or TENANT_TOKEN (deploy/local/market.sh run prints one)'); process.exit(2); }

const load = (file, dirs) => grpc.loadPackageDefinition(loader.loadSync(file, { includeDirs: dirs, keepCase: true, longs: String, enums: String, defaults: false }));
const protos = path.resolve(here, '../../protos');
const broker = load('marketplace/broker/v1/broker.proto', [protos]).marketplace.broker.v1;
const provider = load('marketplace/provider/v1/provider.proto', [protos]).marketplace.provider.v1;

const channelOptions = { 'grpc.max_concurrent_streams': 1000 };
const brokerClient = new broker.BrokerService(opt.broker, grpc.credentials.createInsecure(), channelOptions);
const providerClient = new provider.ProviderService(opt.provider, grpc.credentials.createInsecure(), channelOptions);
const auth = new grpc.Metadata();
auth.set('authorization', `Bearer ${opt.token}`);

function quoteRequest() {
  const now = Date.now();
  const ts = ms => ({ seconds: String(Math.floor(ms / 1000)), nanos: 0 });
  return {
    tenant_id: opt.tenant, accelerator_hours: { accelerator_model: opt.model, hours: 8 * 24 }, accelerators: 8,
    window: { start: ts(now), end: ts(now + 7 * 86_400_000) }, workload: 'WORKLOAD_KIND_BATCH',
  };
}

const targets = {
  'GetAccelerator': (deadline, done) => providerClient.GetAccelerator({ model: opt.model }, auth, { deadline }, done),
  'RequestQuote': (deadline, done) => brokerClient.RequestQuote(quoteRequest(), auth, { deadline }, done),
};

// Runs `callers` loops of one call each for `seconds`; returns calls/s, p50 and p99 in ms and the failures.
function run(call, seconds) {
  return new Promise(resolve => {
    const latencies = []; const failures = new Map();
    const end = performance.now() + seconds * 1000;
    let running = opt.callers;
    const loop = () => {
      if (performance.now() >= end) { if (--running === 0) finish(); return; }
      const started = performance.now();
      call(new Date(Date.now() + opt.deadlineMs), (err) => {
        if (err) failures.set(grpc.status[err.code], (failures.get(grpc.status[err.code]) ?? 0) + 1);
        else latencies.push(performance.now() - started);
        loop();
      });
    };
    const finish = () => {
      latencies.sort((a, b) => a - b);
      const at = q => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : NaN;
      resolve({ perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), failures });
    };
    for (let i = 0; i < opt.callers; i++) loop();
  });
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x, d = 1) => x.toFixed(d);
const show = (name, r) => console.log(`  ${name.padEnd(13)} ${f(r.perSecond, 0).padStart(7)}/s  p50 ${f(r.p50, 2).padStart(7)} ms  p99 ${f(r.p99, 2).padStart(7)} ms` +
  (r.failures.size ? `  failed: ${[...r.failures].map(([k, v]) => `${k} ${v}`).join(', ')}` : ''));

console.log(`foreign client (@grpc/grpc-js ${(await import('@grpc/grpc-js/package.json', { with: { type: 'json' } })).default.version}, node ${process.version}) -> broker ${opt.broker}, provider ${opt.provider}: ${opt.callers} callers, ${opt.rounds} rounds of ${opt.seconds} s (+${opt.warmup} s warm-up), ${opt.model} x 8 for 192 h`);
for (const [name, call] of Object.entries(targets)) await run(call, opt.seconds); // untimed first run of each
const ratios = { perSecond: [], p99: [] }; const quoteP99 = [], quoteP50 = [];
let failed = 0;
for (let round = 1; round <= opt.rounds; round++) {
  console.log(`round ${round}`);
  const results = {};
  for (const [name, call] of Object.entries(targets)) {
    await run(call, opt.warmup);
    results[name] = await run(call, opt.seconds);
    show(name, results[name]);
  }
  const base = results['GetAccelerator'], quote = results['RequestQuote'];
  failed += [...quote.failures.values()].reduce((a, b) => a + b, 0);
  ratios.perSecond.push(quote.perSecond / base.perSecond); ratios.p99.push(quote.p99 / base.p99);
  quoteP99.push(quote.p99); quoteP50.push(quote.p50);
}
console.log(`RequestQuote, median of ${opt.rounds} rounds: p50 ${f(median(quoteP50), 2)} ms, p99 ${f(median(quoteP99), 2)} ms (goal < 20 ms); ` +
  `${f(median(ratios.perSecond), 3)}x GetAccelerator's calls/s, p99 ${f(median(ratios.p99), 1)}x its p99; ${failed} failed`);
brokerClient.close(); providerClient.close();
process.exit(failed ? 1 : 0);
