import { postJson } from "/shared/js/api.js";

// The quote form: choices from the market's reference, posted as JSON; a 400 names the field at fault,
// which is marked and explained in the form's own words.
export function setUpQuoteForm(form, market, onQuote) {
  const models = form.elements.model;
  for (const m of market.models) models.add(new Option(`${m.model} · ${m.vendor}`, m.model));
  for (const m of market.models) models.add(new Option(`any ${m.model}-class (at least its FP16)`, `${m.model}-class`));
  for (const name of ["dataRegion", "usersRegion"])
    for (const r of market.regions) form.elements[name].add(new Option(`${r.name} · ${r.nameZh}`, r.id));
  const problem = document.getElementById("form-problem");

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    problem.hidden = true;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const answer = await postJson("/api/tenant/quotes", read(form));
      if (answer.ok) {
        onQuote(answer.body, read(form));
        return;
      }
      const [field, messages] = Object.entries(answer.body?.errors ?? {})[0] ?? [];
      form.elements[field]?.setAttribute("aria-invalid", "true");
      problem.textContent = field ? `${field}: ${messages.join(" ")}` : (answer.body?.detail ?? `The quote failed (${answer.status}).`);
      problem.dataset.field = field ?? "";
      problem.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
}

function read(form) {
  const value = (name) => form.elements[name].value.trim();
  const number = (name) => (value(name) === "" ? 0 : Number(value(name)));
  return {
    model: value("model"),
    accelerators: number("accelerators"),
    hours: number("hours"),
    startInHours: number("startInHours"),
    windowHours: number("windowHours"),
    workload: value("workload"),
    dataRegion: value("dataRegion"),
    dataGb: number("dataGb"),
    usersRegion: value("usersRegion"),
    latencyMs: number("latencyMs"),
    ceilingPerHour: value("ceilingPerHour"),
    domesticOnly: form.elements.domesticOnly.checked,
  };
}
