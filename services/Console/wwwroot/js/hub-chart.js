import { barWidth, el, fit, svgOf } from "/shared/js/svg.js";
import { hours, moneyWhole } from "/shared/js/format.js";

const LABEL = 190;
const GAP = 24;
const VALUE = 74;
const ROW = 34;
const HEAD = 26;
const GROUP = 26;

// Two bar columns per hub, accelerator-hours and revenue, hubs grouped east (demand) then west (green compute).
// Every hub is drawn, an idle one too, so the picture of the country does not shift as events arrive.
export function drawHubChart(container, hubs, tally) {
  const width = Math.max(container.clientWidth, 520);
  const known = new Set(hubs.map((h) => h.id));
  const extra = [...tally.hubs.keys()].filter((id) => !known.has(id))
    .map((id) => ({ id, name: id || "(no hub)", nameZh: "", side: "other" }));
  const groups = [
    { side: "east", title: "EAST · DEMAND", hubs: hubs.filter((h) => h.side === "east") },
    { side: "west", title: "WEST · GREEN COMPUTE", hubs: hubs.filter((h) => h.side === "west") },
    { side: "other", title: "OTHER", hubs: extra },
  ].filter((g) => g.hubs.length > 0);

  const rows = groups.reduce((n, g) => n + g.hubs.length, 0);
  const svg = svgOf(width, HEAD + groups.length * GROUP + rows * ROW);
  container.replaceChildren(svg); // in the document first: labels are measured to fit
  const column = (width - LABEL - GAP) / 2;
  const span = column - VALUE;
  const stats = (id) => tally.hubs.get(id) ?? { hours: 0, amountFen: 0, postings: 0 };
  const maxHours = Math.max(0, ...[...tally.hubs.values()].map((h) => h.hours));
  const maxFen = Math.max(0, ...[...tally.hubs.values()].map((h) => h.amountFen));

  el(svg, "text", { x: LABEL, y: 12, class: "axis-title" }, "Accelerator-hours");
  el(svg, "text", { x: LABEL + column + GAP, y: 12, class: "axis-title" }, `Revenue (${tally.currency})`);

  let y = HEAD;
  for (const group of groups) {
    el(svg, "text", { x: 0, y: y + 16, class: `group ${group.side}` }, group.title);
    el(svg, "line", { x1: 150, x2: width, y1: y + 12, y2: y + 12, class: "rule" });
    y += GROUP;
    for (const hub of group.hubs) {
      const s = stats(hub.id);
      const name = el(svg, "text", { x: 0, y: y + 14, class: "label" }, hub.name);
      fit(name, LABEL - 14);
      el(svg, "text", { x: 0, y: y + 28, class: "sublabel" },
        s.postings > 0 ? `${hub.nameZh} · ${s.postings} postings` : `${hub.nameZh} · idle`);
      bar(svg, LABEL, y + 6, column, barWidth(s.hours, maxHours, span), `bar ${group.side}`, `${hours(s.hours)} h`);
      bar(svg, LABEL + column + GAP, y + 6, column, barWidth(s.amountFen, maxFen, span), `bar ${group.side} revenue`,
        moneyWhole(s.amountFen, tally.currency));
      y += ROW;
    }
  }
}

// The track spans the whole column; the longest bar stops short of its end to leave room for its value.
function bar(svg, x, y, track, width, cls, label) {
  el(svg, "rect", { x, y, width: track, height: 16, rx: 3, class: "track" });
  if (width > 0) el(svg, "rect", { x, y, width, height: 16, rx: 3, class: cls });
  el(svg, "text", { x: x + width + 7, y: y + 12.5, class: "value" }, label);
}
