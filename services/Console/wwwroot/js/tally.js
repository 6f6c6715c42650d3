// Totals folded in the browser from the events it receives, each exactly once (BillingStream drops anything at
// or before its cursor). They stay the log's own totals across reconnects and reloads because a fold only ever
// starts at the beginning of the log, or at a snapshot taken together with its cursor (snapshot.js), and then
// takes only events after that cursor: nothing is counted twice and nothing is skipped. The console stays a
// stateless bridge, and the totals follow the page's filters. Money is whole fen, summed as integers.
export function emptyTally(currency = "CNY") {
  return {
    currency,
    postings: 0,
    otherCurrency: 0,
    hours: 0,
    energyKwh: 0,
    amountFen: 0,
    voucherFen: 0,
    feeFen: 0,
    hubs: new Map(),
    tenants: new Map(),
    providers: new Map(),
  };
}

export function fold(tally, item) {
  if (item.kind !== "posting") return; // an invoice sums postings already counted
  if (item.currency !== tally.currency) {
    tally.otherCurrency++;
    return;
  }
  tally.postings++;
  tally.hours += item.hours;
  tally.energyKwh += item.energyKwh;
  tally.amountFen += item.amountFen;
  tally.voucherFen += item.voucherFen;
  tally.feeFen += item.feeFen;
  add(tally.hubs, item.hub, item);
  add(tally.tenants, item.tenant, item);
  add(tally.providers, item.provider, item);
}

function add(map, key, item) {
  const entry = map.get(key) ?? { id: key, postings: 0, hours: 0, energyKwh: 0, amountFen: 0, voucherFen: 0 };
  entry.postings++;
  entry.hours += item.hours;
  entry.energyKwh += item.energyKwh;
  entry.amountFen += item.amountFen;
  entry.voucherFen += item.voucherFen;
  map.set(key, entry);
}

export function top(map, count, by = (e) => e.amountFen) {
  return [...map.values()].sort((a, b) => by(b) - by(a) || a.id.localeCompare(b.id)).slice(0, count);
}
