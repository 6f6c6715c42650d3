import { getJson, postJson, stillSignedIn } from "/shared/js/api.js";
import { BillingStream } from "/shared/js/billing-stream.js";
import { addBillEvents, drawBillTotals } from "./bill.js";
import { drawLeases } from "./lease-table.js";
import { drawOptions } from "./option-list.js";
import { setUpQuoteForm } from "./quote-form.js";
import { drawSiteMap } from "./site-map.js";

const $ = (id) => document.getElementById(id);

// A tenant's page: ask for a quote, see the options on the map, accept one, watch its lease and the bill.
async function main() {
  const [me, hubs, market] = await Promise.all([getJson("/api/me"), getJson("/api/hubs"), getJson("/api/tenant/market")]);
  $("tenant").textContent = `${me.subject} · tenant`;
  const sites = new Map(market.sites.map((s) => [s.id, s]));
  let quote = { options: [], exclusions: [] };
  let ask = {};
  let chosen = "";
  const drawMap = () => drawSiteMap($("map"), market, hubs, quote.options, ask, chosen);

  const refreshLeases = async () => drawLeases($("leases"), $("leases-empty"), await getJson("/api/tenant/leases"), hubs);
  const refreshBill = async () => drawBillTotals($("bill-totals"), await getJson("/api/tenant/bill"));

  const show = () => {
    drawMap();
    drawOptions($("option-list"), quote.options, hubs, sites, {
      onChoose(option) {
        chosen = option.id;
        drawMap();
      },
      async onAccept(option, button) {
        const answer = await postJson(`/api/tenant/quotes/${encodeURIComponent(option.id)}/accept`, {});
        button.textContent = answer.ok ? "Accepted" : "Not accepted";
        button.title = answer.ok ? answer.body.id : answer.body?.detail ?? "";
        if (answer.ok) window.__tenant.accepted.push(answer.body.id);
        await refreshLeases();
      },
    });
    $("options-note").textContent = quote.options.length
      ? `${quote.options.length} options, cheapest first${quote.exclusions.length ? ` · ${quote.exclusions.length} cheaper sites left out` : ""}`
      : "Data centers by latitude and longitude; an option's sites coloured by its total cost";
  };
  setUpQuoteForm($("quote-form"), market, (answer, form) => {
    quote = answer;
    ask = form;
    chosen = answer.options[0]?.id ?? "";
    show();
  });

  // The tenant's own postings, live (billing scopes the stream to this tenant); each one moves the bill.
  let billSoon = 0;
  const stream = new BillingStream({}, {
    items(items) {
      addBillEvents($("bill-events"), items, hubs);
      clearTimeout(billSoon);
      billSoon = setTimeout(refreshBill, 300);
    },
    reset() {
      $("bill-events").tBodies[0].replaceChildren();
    },
    status(state) {
      document.body.dataset.billing = state;
    },
    stillSignedIn,
  }, "/api/tenant/events");

  window.__tenant = { accepted: [], ready: false };
  show();
  await Promise.all([refreshLeases(), refreshBill()]);
  stream.start("");
  setInterval(refreshLeases, 10000); // a lease starts and ends on the hour
  window.addEventListener("resize", drawMap);
  window.__tenant.ready = true;
}

main().catch((e) => console.error(e));
