import { el, svgOf } from "/shared/js/svg.js";
import { money } from "/shared/js/format.js";

const LEFT = 58;
const RIGHT = 190;
const TOP = 14;
const BOTTOM = 34;
const HEIGHT = 280;
const SHADES = { east: ["#3867d6", "#1e3a8a", "#6f95ee", "#2b4fa8"], west: ["#138a63", "#0b5d43", "#37b386", "#5a8f2e"] };

// Clearing prices of one model, auction after auction, one line per hub: east hubs (demand) in blues and
// dashed, west hubs (green compute) in greens and solid. Each point is a hub's volume-weighted price in
// that auction (HubPriceView); its tooltip gives the auction and the accelerators traded.
export function drawPriceChart(container, hubs, auctions, model) {
  const width = Math.max(container.clientWidth, 520);
  const svg = svgOf(width, HEIGHT);
  container.replaceChildren(svg);
  const series = seriesOf(hubs, auctions, model);
  if (series.length === 0) {
    el(svg, "text", { x: 0, y: 20, class: "none" }, auctions.length ? `No ${model} cleared yet.` : "No auction has cleared yet.");
    return;
  }
  const span = width - LEFT - RIGHT;
  const x = (i) => LEFT + (auctions.length === 1 ? span / 2 : (i * span) / (auctions.length - 1));
  const step = niceStep(Math.max(...series.flatMap((s) => s.points.map((p) => p.priceFen))) / 4);
  const max = step * Math.ceil((Math.max(...series.flatMap((s) => s.points.map((p) => p.priceFen))) * 1.1) / step);
  const y = (fen) => TOP + (HEIGHT - TOP - BOTTOM) * (1 - fen / max);

  for (let fen = 0; fen <= max; fen += step) {
    el(svg, "line", { x1: LEFT, x2: width - RIGHT, y1: y(fen), y2: y(fen), class: "rule" });
    el(svg, "text", { x: LEFT - 8, y: y(fen) + 4, class: "tick", "text-anchor": "end" }, money(fen));
  }
  auctions.forEach((a, i) => {
    if (auctions.length <= 12 || i % Math.ceil(auctions.length / 12) === 0)
      el(svg, "text", { x: x(i), y: HEIGHT - 14, class: "tick", "text-anchor": "middle" }, auctionLabel(a));
  });
  el(svg, "text", { x: LEFT, y: HEIGHT - 0.5, class: "axis-title" }, "auctions, by the first hour they cleared (· run) →");

  const labels = [];
  for (const s of series) {
    const path = s.points.map((p, k) => `${k ? "L" : "M"}${x(p.index).toFixed(1)},${y(p.priceFen).toFixed(1)}`).join(" ");
    el(svg, "path", { d: path, class: `price-line ${s.side}`, stroke: s.colour, "data-hub": s.hub.id });
    for (const p of s.points) {
      const dot = el(svg, "circle", {
        cx: x(p.index), cy: y(p.priceFen), r: 4, class: `price-point ${s.side}`, fill: s.colour,
        "data-hub": s.hub.id, "data-auction": p.auction, "data-price-fen": p.priceFen,
      });
      el(dot, "title", {}, `${s.hub.name} · auction ${p.auction} · ${money(p.priceFen)} per acc-h · ${p.accelerators} traded`);
    }
    const last = s.points[s.points.length - 1];
    labels.push({ s, y: y(last.priceFen), priceFen: last.priceFen });
  }
  // End labels, pushed apart so that hubs clearing at one price stay readable.
  labels.sort((a, b) => a.y - b.y);
  for (let k = 1; k < labels.length; k++) labels[k].y = Math.max(labels[k].y, labels[k - 1].y + 14);
  for (const { s, y: ly, priceFen } of labels)
    el(svg, "text", { x: width - RIGHT + 10, y: ly + 4, class: `price-label ${s.side}`, fill: s.colour, "data-hub": s.hub.id },
      `${s.hub.name} ${money(priceFen)}`);
}

// An auction by the first hour it cleared, in the reader's time, and its run when an operator ran more than one.
function auctionLabel(a) {
  const run = a.id.split(".")[1];
  const hour = new Date(a.firstHour).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  return run && run !== "1" ? `${hour} · ${run}` : hour;
}

// 1, 2 or 5 times a power of ten fen: axis lines at round prices.
function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
}

function seriesOf(hubs, auctions, model) {
  const known = new Map(hubs.map((h) => [h.id, h]));
  const bySide = { east: 0, west: 0, other: 0 };
  const series = new Map();
  auctions.forEach((a, index) => {
    for (const p of a.hubPrices.filter((h) => h.model === model)) {
      if (!series.has(p.hub)) {
        const hub = known.get(p.hub) ?? { id: p.hub, name: p.hub || "(no hub)", side: "other" };
        const shades = SHADES[hub.side] ?? ["#8a94a8"];
        series.set(p.hub, { hub, side: hub.side, colour: shades[bySide[hub.side]++ % shades.length], points: [] });
      }
      series.get(p.hub).points.push({ index, auction: a.id, priceFen: p.priceFen, accelerators: p.accelerators });
    }
  });
  return [...series.values()].sort((a, b) => a.side.localeCompare(b.side) || a.hub.name.localeCompare(b.hub.name));
}
