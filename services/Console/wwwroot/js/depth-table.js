import { money } from "/shared/js/format.js";

// The order book's depth for one model over the coming hours: open bids on top (bids name a model, not a
// hub), then the free capacity each hub asks for, east hubs first. A cell shows the accelerators and the
// best price: the highest limit for bids, the cheapest ask for hubs; its shade grows with the accelerators.
export function drawDepth(table, hubs, book, model, hours) {
  const slots = Array.from({ length: hours }, (_, k) => book.firstHour + k * 3600_000);
  const bids = cells(book.bids.filter((b) => b.model === model), slots, (best, price) => Math.max(best, price));
  const rows = [{ key: "bids", name: "Open bids", side: "bids", cells: bids }];
  for (const hub of [...hubs].sort((a, b) => a.side.localeCompare(b.side) || a.name.localeCompare(b.name))) {
    const asks = book.asks.filter((a) => a.model === model && a.hub === hub.id);
    rows.push({ key: hub.id, name: hub.name, side: hub.side, cells: cells(asks, slots, (best, price) => Math.min(best, price)) });
  }
  const most = Math.max(1, ...rows.flatMap((r) => r.cells.map((c) => c.accelerators)));

  const head = document.createElement("tr");
  head.append(th(""), ...slots.map((ms) => th(new Date(ms).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" }))));
  const body = rows.map((row) => {
    const tr = document.createElement("tr");
    tr.className = row.side;
    tr.dataset.row = row.key;
    const name = document.createElement("th");
    name.scope = "row";
    name.title = row.name;
    name.innerHTML = `<span class="side ${row.side}"></span>`;
    name.append(row.name);
    tr.append(name, ...row.cells.map((c) => cell(c, most)));
    return tr;
  });
  table.replaceChildren(wrap("thead", [head]), wrap("tbody", body));
}

function cells(depths, slots, better) {
  return slots.map((hour) => {
    const levels = depths.filter((d) => d.hour === hour).flatMap((d) => d.levels);
    return {
      accelerators: levels.reduce((n, l) => n + l.accelerators, 0),
      bestFen: levels.length ? levels.map((l) => l.priceFen).reduce(better) : null,
    };
  });
}

function cell(c, most) {
  const td = document.createElement("td");
  td.dataset.accelerators = c.accelerators;
  if (c.accelerators === 0) {
    td.textContent = "–";
    td.className = "idle";
    return td;
  }
  td.dataset.bestFen = c.bestFen;
  td.style.setProperty("--depth", String(0.12 + (0.6 * c.accelerators) / most));
  td.innerHTML = `<strong></strong><small></small>`;
  td.querySelector("strong").textContent = String(c.accelerators);
  td.querySelector("small").textContent = money(c.bestFen);
  return td;
}

function th(text) {
  const node = document.createElement("th");
  node.textContent = text;
  return node;
}

function wrap(tag, children) {
  const node = document.createElement(tag);
  node.append(...children);
  return node;
}
