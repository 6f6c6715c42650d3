import { clock, count, energy, hours, money, stamp } from "/shared/js/format.js";

const MAX_ROWS = 1000; // the page stays light all day; totals still count every event

// The billing events, newest first. Each row carries its cursor and the producer's event id.
export class FeedTable {
  #body;
  #hubs;
  #empty;
  #recent = []; // the items behind the rows, oldest first, for a reload to restore
  rows = 0;

  constructor(table, empty, hubs) {
    this.#body = table.tBodies[0];
    this.#empty = empty;
    this.#hubs = new Map(hubs.map((h) => [h.id, h]));
  }

  // `items` come oldest first, as billing sends them.
  add(items, highlight) {
    const fragment = document.createDocumentFragment();
    for (let i = items.length - 1; i >= 0; i--) fragment.appendChild(this.#row(items[i], highlight));
    this.#body.prepend(fragment);
    this.rows += items.length;
    while (this.#body.rows.length > MAX_ROWS) this.#body.lastElementChild.remove();
    this.#recent.push(...items);
    if (this.#recent.length > MAX_ROWS) this.#recent.splice(0, this.#recent.length - MAX_ROWS);
    this.#empty.hidden = this.rows > 0;
  }

  // Rows kept over a reload; `rows` counts every event shown since the view began, not only these.
  restore(items, rows) {
    this.clear();
    this.add(items, false);
    this.rows = rows;
  }

  recent() {
    return [...this.#recent];
  }

  clear() {
    this.#body.replaceChildren();
    this.#recent = [];
    this.rows = 0;
    this.#empty.hidden = false;
  }

  note() {
    return this.rows > MAX_ROWS
      ? `Newest first · showing ${count(MAX_ROWS)} of ${count(this.rows)} events`
      : `Newest first · ${count(this.rows)} events`;
  }

  #row(item, highlight) {
    const tr = document.createElement("tr");
    tr.dataset.cursor = item.cursor;
    tr.dataset.eventId = item.eventId;
    tr.className = item.kind + (item.credit ? " credit" : "") + (highlight ? " fresh" : "");
    tr.title = item.credit
      ? `SLA credit on lease ${item.lease}: an hour an outage took · event ${item.eventId}`
      : item.kind === "posting"
      ? `lease ${item.lease} · ${energy(item.energyKwh)} · event ${item.eventId}`
      : `invoice no. ${item.number} · ${item.eventId} · due ${money(item.tenantDueFen, item.currency)}`;
    const hub = this.#hubs.get(item.hub);
    tr.append(
      cell("time", clock(item.at), stamp(item.at)),
      cell("tenant", item.tenant),
      cell("provider", item.provider),
      this.#hubCell(item, hub),
      cell("num", item.kind === "posting" ? hours(item.hours) : ""),
      cell("num amount", money(item.amountFen, item.currency)),
      cell("num voucher", item.voucherFen > 0 ? money(item.voucherFen, item.currency) : ""),
    );
    return tr;
  }

  #hubCell(item, hub) {
    const td = cell("hub", "");
    if (item.kind !== "posting") {
      td.textContent = `invoice no. ${item.number} issued`;
      return td;
    }
    const dot = document.createElement("span");
    dot.className = `side ${hub?.side ?? ""}`;
    td.append(dot, hub?.name ?? item.hub);
    td.title = hub ? `${hub.name} · ${hub.nameZh}` : item.hub;
    return td;
  }
}

function cell(cls, text, title) {
  const td = document.createElement("td");
  td.className = cls;
  td.textContent = text;
  if (title) td.title = title;
  return td;
}
