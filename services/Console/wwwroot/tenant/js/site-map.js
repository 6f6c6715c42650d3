import { el, svgOf } from "/shared/js/svg.js";
import { money } from "/shared/js/format.js";

// China's bounding box, plotted equirectangular with longitude shrunk by cos(35°) so distances look right
// in the middle of the country. No tiles and no outline: the sites, the hubs and the regions are enough.
const WEST = 73, EAST = 135, SOUTH = 18, NORTH = 54;
const ASPECT = (NORTH - SOUTH) / ((EAST - WEST) * Math.cos((35 * Math.PI) / 180));

// Every data center as a faint dot; the hubs labelled where their provinces are; the options' sites
// coloured by the option's total cost (green the cheapest, red the dearest) and numbered by rank; the
// data's region marked with a square and the users' with a ring.
export function drawSiteMap(container, market, hubs, options = [], ask = {}, chosen = "") {
  const width = Math.max(container.clientWidth, 420);
  const height = Math.round(width * ASPECT);
  const svg = svgOf(width, height);
  container.replaceChildren(svg);
  const at = (lat, lon) => [((lon - WEST) / (EAST - WEST)) * width, ((NORTH - lat) / (NORTH - SOUTH)) * height];
  el(svg, "rect", { x: 0, y: 0, width, height, class: "sea" });
  for (let lon = 80; lon < EAST; lon += 10) el(svg, "line", { x1: at(0, lon)[0], x2: at(0, lon)[0], y1: 0, y2: height, class: "graticule" });
  for (let lat = 20; lat < NORTH; lat += 10) el(svg, "line", { x1: 0, x2: width, y1: at(lat, 0)[1], y2: at(lat, 0)[1], class: "graticule" });

  const regions = new Map(market.regions.map((r) => [r.id, r]));
  const sites = new Map(market.sites.map((s) => [s.id, s]));
  for (const r of market.regions) {
    const [x, y] = at(r.latitude, r.longitude);
    el(svg, "circle", { cx: x, cy: y, r: 2.5, class: "region" });
  }
  for (const s of market.sites) {
    const [x, y] = at(s.latitude, s.longitude);
    el(el(svg, "circle", { cx: x, cy: y, r: 3.5, class: "site", "data-site": s.id }), "title", {}, `${s.name} · ${s.city}`);
  }
  for (const hub of hubs) {
    const members = market.regions.filter((r) => r.hubId === hub.id);
    if (members.length === 0) continue;
    const [x, y] = at(mean(members.map((r) => r.latitude)), mean(members.map((r) => r.longitude)));
    el(svg, "text", { x, y: y - 9, class: `hub ${hub.side}`, "text-anchor": "middle", "data-hub": hub.id }, hub.name);
  }
  marker(svg, at, regions.get(ask.usersRegion), "users-region", "users");
  marker(svg, at, regions.get(ask.dataRegion), "data-region", "data");

  const totals = options.map((o) => o.totalFen);
  const low = Math.min(...totals);
  const high = Math.max(...totals);
  // Dearest first, so the cheapest is drawn on top where options share a site.
  for (const option of [...options].reverse()) {
    const colour = costColour(high === low ? 0 : (option.totalFen - low) / (high - low));
    const points = [...new Set(option.placements.map((p) => p.datacenterId))]
      .map((id) => sites.get(id) ?? fallback(regions, option.placements.find((p) => p.datacenterId === id)))
      .filter(Boolean).map((s) => at(s.latitude, s.longitude));
    if (points.length > 1)
      el(svg, "path", { d: points.map(([x, y], k) => `${k ? "L" : "M"}${x},${y}`).join(" "), class: "split", stroke: colour });
    for (const [x, y] of points) {
      const dot = el(svg, "circle", {
        cx: x, cy: y, r: option.id === chosen ? 10 : 8, fill: colour, class: option.id === chosen ? "option chosen" : "option",
        "data-quote": option.id, "data-rank": option.rank, "data-total-fen": option.totalFen,
      });
      el(dot, "title", {}, `#${option.rank} · ${money(option.totalFen)} in all`);
      el(svg, "text", { x, y: y + 3.5, class: "rank", "text-anchor": "middle" }, String(option.rank));
    }
  }
  if (options.length) legend(svg, width, height, low, high);
}

export function costColour(fraction) {
  return `hsl(${Math.round(140 - 140 * fraction)}, 62%, 42%)`;
}

function marker(svg, at, region, cls, word) {
  if (!region) return;
  const [x, y] = at(region.latitude, region.longitude);
  const group = el(svg, "g", { class: cls, "data-region": region.id });
  if (cls === "data-region") el(group, "rect", { x: x - 7, y: y - 7, width: 14, height: 14, rx: 2 });
  else el(group, "circle", { cx: x, cy: y, r: 13 });
  el(group, "text", { x: x + 12, y: y + 20, class: "marker-label" }, `${word}: ${region.name}`);
}

function legend(svg, width, height, low, high) {
  const box = el(svg, "g", { class: "legend", transform: `translate(${width - 190}, ${height - 34})` });
  for (let k = 0; k < 10; k++) el(box, "rect", { x: k * 17, y: 0, width: 17, height: 8, fill: costColour(k / 9) });
  el(box, "text", { x: 0, y: 22 }, money(low));
  el(box, "text", { x: 170, y: 22, "text-anchor": "end" }, money(high));
}

// A placement at a site the register no longer lists: its region's city stands in.
function fallback(regions, placement) {
  return placement ? regions.get(placement.regionId) : null;
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
