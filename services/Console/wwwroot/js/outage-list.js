import { stamp } from "/shared/js/format.js";

// The provider's outages, ongoing first: where, since when, until when, why.
export function drawOutages(list, outages) {
  if (outages.length === 0) {
    const none = document.createElement("li");
    none.className = "none";
    none.textContent = "No site is down.";
    list.replaceChildren(none);
    return;
  }
  const ordered = [...outages].sort((a, b) => (a.endedAt !== 0) - (b.endedAt !== 0) || b.start - a.start);
  list.replaceChildren(...ordered.map(item));
}

function item(o) {
  const li = document.createElement("li");
  li.dataset.outage = o.id;
  li.dataset.datacenter = o.datacenter;
  li.className = o.endedAt === 0 ? "ongoing" : "ended";
  const what = o.offer ? `offer ${o.offer}` : `all ${o.offers} offers`;
  const until = o.endedAt !== 0 ? `back ${stamp(o.endedAt)}` : o.expectedEnd !== 0 ? `expected back ${stamp(o.expectedEnd)}` : "end not known";
  li.append(line("div", "site", `${o.datacenter} · ${what}`), line("div", "when", `down since ${stamp(o.start)} · ${until}`),
    line("div", "reason", o.reason || "no reason given"));
  li.title = `${o.id} · provider ${o.provider}`;
  return li;
}

function line(tag, cls, text) {
  const el = document.createElement(tag);
  el.className = cls;
  el.textContent = text;
  return el;
}
