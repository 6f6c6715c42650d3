import { money, stamp } from "/shared/js/format.js";
import { costColour } from "./site-map.js";

// The quote's options, cheapest first, each with its breakdown, its sites and an Accept button; the
// swatch is the colour its sites have on the map. `onAccept(option)` makes the lease.
export function drawOptions(list, options, hubs, sites, { onChoose, onAccept }) {
  if (options.length === 0) {
    const none = document.createElement("li");
    none.className = "none";
    none.textContent = "No site can take this job. Loosen the window, the ceiling or the latency limit.";
    list.replaceChildren(none);
    return;
  }
  const names = new Map(hubs.map((h) => [h.id, h.name]));
  const low = Math.min(...options.map((o) => o.totalFen));
  const high = Math.max(...options.map((o) => o.totalFen));
  list.replaceChildren(...options.map((o) => {
    const li = document.createElement("li");
    li.dataset.quote = o.id;
    const where = [...new Set(o.placements.map((p) => `${sites.get(p.datacenterId)?.name ?? p.datacenterId} (${names.get(p.hubId) ?? p.hubId})`))];
    li.innerHTML = `<i class="swatch"></i><div class="what"><strong class="total"></strong> <span class="rank"></span>
      <div class="where"></div><div class="items"></div></div><button type="button" class="accept">Accept</button>`;
    li.querySelector(".swatch").style.background = costColour(high === low ? 0 : (o.totalFen - low) / (high - low));
    li.querySelector(".total").textContent = money(o.totalFen);
    li.querySelector(".rank").textContent = `#${o.rank} · ${o.placements.reduce((n, p) => n + p.units, 0)} accelerators · from ${stamp(o.placements[0]?.start ?? 0)}`;
    li.querySelector(".where").textContent = where.join(" + ");
    li.querySelector(".items").textContent = [
      `compute ${money(o.computeFen)}`, `moving the data ${money(o.transferFen)}`, `latency ${money(o.latencyPenaltyFen)}`,
      `voucher −${money(o.voucherFen)}`, `invoiced ${money(o.tenantDueFen)}`, `${Math.round(o.greenPowerShare * 100)}% green`,
      `${reliability(o)} reliable`,
    ].join(" · ");
    li.dataset.reliability = String(Math.min(...o.placements.map((p) => p.reliability)));
    li.addEventListener("mouseenter", () => onChoose(o));
    li.querySelector(".accept").addEventListener("click", async (e) => {
      e.target.disabled = true;
      e.target.textContent = "Accepting…";
      await onAccept(o, e.target);
    });
    return li;
  }));
}

// The least reliable of the option's sites (hours delivered / hours leased, 30 days), as a percentage.
function reliability(o) {
  const least = Math.min(...o.placements.map((p) => p.reliability));
  return `${(least * 100).toFixed(least < 1 ? 1 : 0)}%`;
}
