const $ = (id) => document.getElementById(id);

// Filters live in the address (?tenant=&provider=&hub=), so a reload or a shared link keeps them.
export function readFilters(form, hubs) {
  const params = new URLSearchParams(location.search);
  const filters = { tenant: params.get("tenant") ?? "", provider: params.get("provider") ?? "", hub: params.get("hub") ?? "" };
  const select = form.elements.hub;
  for (const hub of hubs) select.add(new Option(`${hub.name} · ${hub.nameZh}`, hub.id));
  for (const [name, value] of Object.entries(filters)) form.elements[name].value = value;
  const active = Object.entries(filters).filter(([, v]) => v).map(([k, v]) => `${k} = ${v}`);
  $("filter-note").textContent = active.length ? `Showing only ${active.join(", ")}` : "";
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const next = new URLSearchParams([...new FormData(form)].filter(([, v]) => String(v).trim()));
    location.search = next.toString(); // a new view is a new fold: start it from a clean page
  });
  $("clear-filters").addEventListener("click", () => (location.search = ""));
  return filters;
}
