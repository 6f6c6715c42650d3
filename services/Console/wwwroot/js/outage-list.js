import { money, stamp } from "/shared/js/format.js";

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

// The leases outages moved, newest first: off which site, to which lease, from when, or cut short.
export function drawMoves(list, moves) {
  if (moves.length === 0) {
    const none = document.createElement("li");
    none.className = "none";
    none.textContent = "No lease has been moved.";
    list.replaceChildren(none);
    return;
  }
  list.replaceChildren(...moves.map((m) => {
    const li = document.createElement("li");
    li.dataset.lease = m.lease;
    li.dataset.toLease = m.toLease;
    li.className = m.toLease ? "moved" : "dropped";
    const what = m.soldToBid ? `sold to bid ${m.soldToBid}` : m.preempted ? "reclaimed" : "moved";
    const extra = m.extraCostFen > 0 ? `, ${money(m.extraCostFen)} more` : m.extraCostFen < 0 ? `, ${money(-m.extraCostFen)} less` : "";
    const to = m.toLease ? `to ${m.toLease}${extra}` : "dropped: nothing could take the hours";
    li.append(line("div", "site", `${m.tenant} · ${m.lease}`), line("div", "when", `${what} off ${m.site} from ${stamp(m.fromHour)} · ${to}`));
    li.title = m.reason;
    return li;
  }));
}

// Every site's reliability (delivered / leased accelerator-hours, 30 market days), least reliable first.
export function drawReliability(list, sites) {
  list.replaceChildren(...sites.map((s) => {
    const li = document.createElement("li");
    li.dataset.datacenter = s.datacenter;
    li.className = s.reliability === null ? "unrated" : s.reliability < 0.99 ? "flaky" : "reliable";
    const share = s.reliability === null ? "nothing leased yet" : `${(s.reliability * 100).toFixed(1)}% delivered`;
    li.append(line("span", "site", s.datacenter), line("span", "share", share));
    li.title = `${s.name} · ${s.provider} · ${s.hub || s.region}`;
    return li;
  }));
}

function line(tag, cls, text) {
  const el = document.createElement(tag);
  el.className = cls;
  el.textContent = text;
  return el;
}
