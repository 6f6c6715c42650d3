import { clock, hours, money } from "/shared/js/format.js";

// The open period's bill as billing has it (GET /api/tenant/bill), and the postings that move it, live.
export function drawBillTotals(box, invoices) {
  const open = invoices.find((i) => i.state === "open");
  const issued = invoices.filter((i) => i.state === "issued");
  const total = (pick) => invoices.reduce((n, i) => n + pick(i), 0);
  box.dataset.tenantDueFen = total((i) => i.tenantDueFen);
  box.replaceChildren(
    figure("Billed", money(total((i) => i.totalFen))),
    figure("Vouchers cover", money(total((i) => i.voucherFen))),
    figure("You pay", money(total((i) => i.tenantDueFen))),
    figure("Invoices", open ? `draft${issued.length ? ` + ${issued.length} issued` : ""}` : `${issued.length} issued`),
  );
}

export function addBillEvents(table, items, hubs) {
  const names = new Map(hubs.map((h) => [h.id, h.name]));
  const rows = items.filter((i) => i.kind === "posting").map((i) => {
    const tr = document.createElement("tr");
    tr.dataset.eventId = i.eventId;
    tr.dataset.lease = i.lease;
    for (const [cls, text] of [["", clock(i.at)], ["mono", i.lease], ["", names.get(i.hub) ?? i.hub], ["num", hours(i.hours)],
      ["num", money(i.amountFen, i.currency)], ["num", money(i.tenantDueFen, i.currency)]]) {
      const td = document.createElement("td");
      td.className = cls;
      td.textContent = text;
      tr.appendChild(td);
    }
    return tr;
  });
  table.tBodies[0].prepend(...rows.reverse());
}

function figure(title, value) {
  const div = document.createElement("div");
  div.className = "figure";
  div.innerHTML = "<small></small><strong></strong>";
  div.querySelector("small").textContent = title;
  div.querySelector("strong").textContent = value;
  return div;
}
