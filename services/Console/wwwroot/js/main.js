import { getJson, stillSignedIn } from "/shared/js/api.js";
import { BillingStream } from "/shared/js/billing-stream.js";
import { drawEastWest } from "./east-west.js";
import { startExchange } from "./exchange.js";
import { FeedTable } from "./feed-table.js";
import { readFilters } from "./filters.js";
import { drawHubChart } from "./hub-chart.js";
import { drawKpis } from "./kpis.js";
import { saveSnapshot, takeSnapshot } from "./snapshot.js";
import { emptyTally, fold, top } from "./tally.js";
import { drawTopChart } from "./top-chart.js";
import { drawMoves, drawOutages, drawReliability } from "./outage-list.js";
import { drawVouchers } from "./voucher-list.js";

const VOUCHER_REFRESH_MS = 5000;
const $ = (id) => document.getElementById(id);

function fillOptions(list, entries) {
  list.replaceChildren(...entries.map((e) => new Option(e.id)));
}

async function main() {
  const [me, hubs] = await Promise.all([getJson("/api/me"), getJson("/api/hubs")]);
  $("operator").textContent = `${me.subject} · operator`;
  // Back to sign-in when the token expires (beyond setTimeout's reach, the next 401 does it).
  const untilExpiry = me.expiresAt ? new Date(me.expiresAt) - Date.now() : Infinity;
  if (untilExpiry < 2 ** 31 - 1) setTimeout(() => location.assign("/signin?problem=expired"), untilExpiry);

  const filters = readFilters($("filters"), hubs);
  const table = new FeedTable($("feed"), $("feed-empty"), hubs);
  let tally = emptyTally();
  const startedAt = performance.now();

  let pending = false;
  const render = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const westShare = drawEastWest($("east-west"), hubs, tally);
      drawKpis(tally, westShare);
      drawHubChart($("hub-chart"), hubs, tally);
      drawTopChart($("tenant-chart"), top(tally.tenants, 8), tally.currency, { vouchers: true });
      drawTopChart($("provider-chart"), top(tally.providers, 6), tally.currency);
      fillOptions($("tenant-options"), top(tally.tenants, 50));
      fillOptions($("provider-options"), top(tally.providers, 50));
      $("feed-note").textContent = table.note();
    });
  };

  let voucherTimer = 0;
  const refreshVouchers = async () => {
    clearTimeout(voucherTimer);
    try {
      drawVouchers($("voucher-list"), await getJson("/api/vouchers"));
    } catch (e) {
      console.warn("voucher programs:", e);
    }
    voucherTimer = setTimeout(refreshVouchers, VOUCHER_REFRESH_MS);
  };
  // Outages and site reliability come from the provider's register and the moves from the broker, refreshed like the voucher programs.
  const refreshOutages = async () => {
    try {
      const [outages, moves, sites] = await Promise.all([getJson("/api/outages"), getJson("/api/moves"), getJson("/api/reliability")]);
      drawOutages($("outage-list"), outages);
      drawMoves($("move-list"), moves);
      drawReliability($("reliability-list"), sites);
    } catch (e) {
      console.warn("outages:", e);
    }
    setTimeout(refreshOutages, VOUCHER_REFRESH_MS);
  };
  let voucherSoon = 0;

  const status = $("stream");
  const stream = new BillingStream(filters, {
    items(items) {
      for (const item of items) fold(tally, item);
      table.add(items, performance.now() - startedAt > 2500);
      $("stream-cursor").textContent = stream.cursor;
      render();
      if (items.some((i) => i.voucherFen > 0)) {
        clearTimeout(voucherSoon);
        voucherSoon = setTimeout(refreshVouchers, 400); // spend just moved: show it without waiting
      }
    },
    reset() {
      tally = emptyTally();
      table.clear();
      render();
    },
    status(state, text) {
      status.dataset.state = state;
      $("stream-text").textContent = text;
    },
    stillSignedIn,
  });

  // For the browser test and for curious operators: the stream's counters and a way to cut it.
  window.__console = {
    dropStream: () => stream.drop(),
    get cursor() { return stream.cursor; },
    get stats() { return { ...stream.stats, rows: table.rows }; },
  };

  // A reload picks up where this page leaves off (snapshot.js); otherwise the fold starts at the log's start.
  const view = JSON.stringify(filters);
  const restored = takeSnapshot(view);
  if (restored) {
    tally = restored.tally;
    table.restore(restored.items, restored.rows);
    $("stream-cursor").textContent = restored.cursor;
  }
  window.addEventListener("pagehide", () => saveSnapshot(view, stream.cursor, tally, table));

  render();
  refreshVouchers();
  refreshOutages();
  stream.start(restored?.cursor ?? "");
  window.__console.exchange = await startExchange(hubs);
  window.addEventListener("resize", render);
}

main().catch((e) => console.error(e));
