import { money, stamp } from "/shared/js/format.js";

// The tenant's leases, newest first: state, window, where each runs and what the quote said it costs.
export function drawLeases(table, empty, leases, hubs) {
  const names = new Map(hubs.map((h) => [h.id, h.name]));
  table.tBodies[0].replaceChildren(...leases.map((l) => {
    const tr = document.createElement("tr");
    tr.dataset.lease = l.id;
    tr.dataset.state = l.state;
    const where = [...new Set(l.allocations.map((a) => `${a.units}× ${a.model} · ${names.get(a.hubId) ?? a.hubId}`))].join(", ");
    tr.append(
      cell("mono", l.id),
      cell(`state ${l.state}`, l.state),
      cell("", `${stamp(l.start).slice(0, 16)} → ${stamp(l.end).slice(11, 16)}`),
      cell("", where),
      cell("num", money(l.quotedTotalFen)),
    );
    return tr;
  }));
  empty.hidden = leases.length > 0;
}

function cell(cls, text) {
  const td = document.createElement("td");
  td.className = cls;
  td.textContent = text;
  return td;
}
