import { count, energy, hours, money, share } from "/shared/js/format.js";

// The six totals across the top, from the page's fold of the (filtered) log.
export function drawKpis(tally, westShare) {
  const c = tally.currency;
  set("kpi-revenue", money(tally.amountFen, c));
  set("kpi-revenue-note", tally.otherCurrency > 0
    ? `${count(tally.otherCurrency)} events in other currencies not included`
    : "billed usage, before vouchers");
  set("kpi-hours", hours(tally.hours));
  set("kpi-hours-note", `${count(tally.postings)} postings · ${count(tally.tenants.size)} tenants`);
  set("kpi-energy", energy(tally.energyKwh));
  set("kpi-voucher", money(tally.voucherFen, c));
  set("kpi-voucher-note", `${share(tally.voucherFen, tally.amountFen)} of revenue`);
  set("kpi-fee", money(tally.feeFen, c));
  set("kpi-fee-note", `${share(tally.feeFen, tally.amountFen)} of revenue`);
  set("kpi-west", westShare === null ? "–" : share(westShare, 1));
}

function set(id, text) {
  document.getElementById(id).textContent = text;
}
