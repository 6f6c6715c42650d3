import { barWidth, el, fit, svgOf } from "/shared/js/svg.js";
import { hours, moneyWhole } from "/shared/js/format.js";

const LABEL = 170;
const VALUE = 76;
const ROW = 38;

// The leaders by revenue, one bar each; with `vouchers`, the bar splits what vouchers covered (amber) from
// the rest. Used for tenants and for providers.
export function drawTopChart(container, entries, currency, { vouchers = false, empty = "No usage billed yet." } = {}) {
  const width = Math.max(container.clientWidth, 320);
  const svg = svgOf(width, Math.max(entries.length, 1) * ROW);
  container.replaceChildren(svg); // in the document first: labels are measured to fit
  if (entries.length === 0) {
    el(svg, "text", { x: 0, y: 20, class: "none" }, empty);
    return;
  }
  const span = width - LABEL - VALUE;
  const max = entries[0].amountFen;
  entries.forEach((entry, i) => {
    const y = i * ROW;
    fit(el(svg, "text", { x: 0, y: y + 15, class: "label" }, entry.id), LABEL - 12);
    el(svg, "text", { x: 0, y: y + 30, class: "sublabel" }, `${hours(entry.hours)} acc-h · ${entry.postings} postings`);
    const total = barWidth(entry.amountFen, max, span);
    el(svg, "rect", { x: LABEL, y: y + 7, width: width - LABEL, height: 18, rx: 3, class: "track" });
    el(svg, "rect", { x: LABEL, y: y + 7, width: total, height: 18, rx: 3, class: vouchers ? "bar tenant" : "bar provider" });
    const covered = vouchers && entry.amountFen > 0 ? (total * entry.voucherFen) / entry.amountFen : 0;
    if (covered > 0.5)
      el(svg, "rect", { x: LABEL + total - covered, y: y + 7, width: covered, height: 18, rx: 3, class: "bar voucher" });
    el(svg, "text", { x: LABEL + total + 7, y: y + 20, class: "value" }, moneyWhole(entry.amountFen, currency));
  });
}
