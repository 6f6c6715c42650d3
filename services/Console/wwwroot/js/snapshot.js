// A reload resumes where the page was. On pagehide the page keeps its cursor, totals and newest rows in
// sessionStorage (this tab only), all taken at one instant so they agree with each other; the reloaded page
// restores them and asks billing only for what came after that cursor, so nothing is folded twice and
// nothing is missed. A new tab, or other filters, start from the beginning of the log instead.
const KEY = "marketplace.console.snapshot";

export function saveSnapshot(view, cursor, tally, table) {
  if (!cursor) return;
  const maps = Object.fromEntries(["hubs", "tenants", "providers"].map((name) => [name, [...tally[name]]]));
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ view, cursor, tally: { ...tally, ...maps }, items: table.recent(), rows: table.rows }));
  } catch {
    sessionStorage.removeItem(KEY); // over the quota: the reload replays the log instead
  }
}

// The snapshot of this view, if the last page in this tab left one; taken once.
export function takeSnapshot(view) {
  const saved = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  if (!saved) return null;
  const snapshot = JSON.parse(saved);
  if (snapshot.view !== view) return null;
  for (const name of ["hubs", "tenants", "providers"]) snapshot.tally[name] = new Map(snapshot.tally[name]);
  return snapshot;
}
