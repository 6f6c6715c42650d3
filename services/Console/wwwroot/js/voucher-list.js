import { money, share } from "/shared/js/format.js";

const NEARLY_SPENT = 0.9;

// Each program's spend against its budget, from billing's programs (not from the events this page saw).
export function drawVouchers(list, programs) {
  if (programs.length === 0) {
    const none = document.createElement("li");
    none.className = "none";
    none.textContent = "No voucher programs yet.";
    list.replaceChildren(none);
    return;
  }
  list.replaceChildren(...programs.map(item));
}

function item(p) {
  const li = document.createElement("li");
  li.dataset.program = p.id;
  li.dataset.spentFen = p.spentFen;
  const spent = p.budgetFen > 0 ? p.spentFen / p.budgetFen : 0;
  li.append(
    Object.assign(line("div", "name", p.name), { title: p.id }),
    line("div", "issuer", p.issuer),
    meter(spent),
    figures(p, spent),
    line("div", "terms", `Tenant co-pay ${p.tenantCopayPercent}%` + (p.expiresAt ? ` · expires ${p.expiresAt.slice(0, 10)}` : "")),
  );
  return li;
}

function meter(fraction) {
  const box = line("div", fraction >= NEARLY_SPENT ? "meter nearly" : "meter", "");
  box.innerHTML = `<svg viewBox="0 0 100 12" preserveAspectRatio="none"><rect x="0" y="0" height="12"></rect></svg>`;
  box.querySelector("rect").setAttribute("width", String(Math.min(100, fraction * 100)));
  return box;
}

function figures(p, fraction) {
  const row = line("div", "figures", "");
  const spent = document.createElement("span");
  spent.append(bold(money(p.spentFen, p.currency)), " spent");
  const budget = document.createElement("span");
  budget.append("of ", bold(money(p.budgetFen, p.currency)), ` · ${share(fraction, 1)}`);
  row.append(spent, budget);
  return row;
}

function bold(text) {
  const b = document.createElement("strong");
  b.textContent = text;
  return b;
}

function line(tag, cls, text) {
  const node = document.createElement(tag);
  node.className = cls;
  node.textContent = text;
  return node;
}
