import { getJson, stillSignedIn } from "/shared/js/api.js";
import { drawAuctionSummary } from "./auction-summary.js";
import { AuctionStream } from "./auction-stream.js";
import { drawDepth } from "./depth-table.js";
import { drawPriceChart } from "./price-chart.js";

const HISTORY = 30;      // auctions charted
const BOOK_HOURS = 6;    // the coming hours of depth shown
const BOOK_REFRESH_MS = 10000;
const $ = (id) => document.getElementById(id);

// The exchange on the operator page: clearing prices by hub, auction after auction, the newest auction's
// figures and unfilled bids, and the order book's depth. History comes from ListAuctions, then each new
// result from the live feed, which resumes after the newest one the page has.
export async function startExchange(hubs) {
  let auctions = (await getJson(`/api/exchange/auctions?last=${HISTORY}`)).reverse(); // oldest first
  let book = { firstHour: 0, openBids: 0, asks: [], bids: [] };
  const select = $("exchange-model");

  const render = () => {
    const model = chosenModel(select, auctions, book);
    drawPriceChart($("price-chart"), hubs, auctions, model);
    drawDepth($("depth"), hubs, book, model, BOOK_HOURS);
    drawAuctionSummary($("auction-summary"), auctions);
    $("depth-note").textContent = `${book.openBids} open bids · the next ${BOOK_HOURS} hours of ${model || "any model"}`;
  };
  let bookTimer = 0;
  const refreshBook = async () => {
    clearTimeout(bookTimer);
    try {
      book = await getJson(`/api/exchange/book?hours=${BOOK_HOURS}`);
      render();
    } catch (e) {
      console.warn("order book:", e);
    }
    bookTimer = setTimeout(refreshBook, BOOK_REFRESH_MS);
  };
  select.addEventListener("change", () => {
    select.dataset.chosen = "yes";
    render();
  });

  const stream = new AuctionStream({
    auction(auction) {
      auctions = [...auctions, auction].slice(-HISTORY);
      render();
      refreshBook(); // an auction takes capacity and fills bids: the book moved
    },
    status(state) {
      $("exchange").dataset.state = state;
    },
    stillSignedIn,
  });
  stream.start(auctions.length ? auctions[auctions.length - 1].cursor : "");
  window.addEventListener("resize", render);
  render();
  await refreshBook();
  return { get auctions() { return auctions.map((a) => a.id); } };
}

// The operator's pick, else the model the newest auction traded most, else the deepest in the book.
function chosenModel(select, auctions, book) {
  const volume = new Map();
  const add = (model, n) => volume.set(model, (volume.get(model) ?? 0) + n);
  for (const p of auctions[auctions.length - 1]?.hubPrices ?? []) add(p.model, p.accelerators + 1);
  for (const a of book.asks) for (const l of a.levels) add(a.model, l.accelerators / 1000);
  const models = [...volume.keys()].sort();
  const current = select.value;
  if (select.options.length !== models.length || models.some((m, i) => select.options[i].value !== m))
    select.replaceChildren(...models.map((m) => new Option(m, m)));
  if (select.dataset.chosen && models.includes(current)) {
    select.value = current;
    return current;
  }
  const busiest = [...volume].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? "";
  select.value = busiest;
  return busiest;
}
