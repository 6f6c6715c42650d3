import { cursorAfter } from "./cursor.js";

// The page's end of the SSE bridge (BillingEventBridge.cs says why SSE).
//
// Resuming: after a network drop EventSource reconnects by itself and sends Last-Event-ID, the last billing
// cursor it received. When a stream is closed for good instead (dropStream below, or a non-200 answer from a
// restarting console), a new EventSource opens with ?from=<last cursor>. Either way billing replays from the
// very next event. Any event at or before the last cursor is still dropped here and counted in
// stats.duplicates, which stays 0 when the transport keeps its promise (the browser test checks it).
export class BillingStream {
  #url;
  #filters;
  #on;
  #source = null;
  #retry = 0;
  #backoff = 1000;
  cursor = "";
  stats = { frames: 0, events: 0, duplicates: 0, opened: 0, resumed: 0 };

  // `url`: the operator's whole feed (filtered), or a tenant's own (/api/tenant/events).
  constructor(filters, on, url = "/api/events") {
    this.#url = url;
    this.#filters = filters;
    this.#on = on;
  }

  // From the start of the log, or from the cursor a reloaded page restored.
  start(from = "") {
    this.cursor = from;
    this.#open(from);
  }

  stop() {
    clearTimeout(this.#retry);
    this.#source?.close();
    this.#source = null;
  }

  // Cuts the connection as a network fault would, then resumes from the last cursor received.
  drop() {
    this.stop();
    this.#reopenSoon(200);
  }

  #open(from) {
    const query = new URLSearchParams(Object.entries(this.#filters).filter(([, value]) => value));
    if (from) query.set("from", from);
    const source = new EventSource(`${this.#url}?${query}`);
    this.#source = source;
    this.stats.opened++;
    source.addEventListener("ready", (e) => {
      if (JSON.parse(e.data).from) this.stats.resumed++;
      this.#backoff = 1000;
      this.#on.status("live", "Live");
    });
    source.addEventListener("billing", (e) => this.#accept(JSON.parse(e.data)));
    source.addEventListener("problem", (e) => this.#problem(JSON.parse(e.data)));
    source.onerror = () => {
      if (source !== this.#source) return;
      if (source.readyState === EventSource.CONNECTING) {
        this.#on.status("reconnecting", "Reconnecting…"); // EventSource retries by itself, with Last-Event-ID
        return;
      }
      this.#source = null; // closed for good: an error status, e.g. the console restarting or signed out
      this.#reopenSoon(this.#backoff);
      this.#backoff = Math.min(this.#backoff * 2, 30000);
    };
  }

  #accept(items) {
    this.stats.frames++;
    const fresh = [];
    for (const item of items) {
      if (cursorAfter(item.cursor, this.cursor)) {
        fresh.push(item);
        this.cursor = item.cursor;
      } else {
        this.stats.duplicates++;
      }
    }
    this.stats.events += fresh.length;
    if (fresh.length > 0) this.#on.items(fresh);
  }

  #problem({ code, message }) {
    if (code === "invalid-cursor") {
      // Billing no longer knows our cursor: start over from the start of the log, with empty totals.
      this.stop();
      this.cursor = "";
      this.#on.reset();
      this.#open("");
    } else if (code === "refused") {
      this.stop();
      this.#on.status("stopped", `Billing refused the operator token: ${message}`);
    } else {
      // The response ends next; EventSource reconnects by itself with Last-Event-ID.
      this.#on.status("reconnecting", "Billing unavailable, retrying…");
    }
  }

  #reopenSoon(delay) {
    this.#on.status("reconnecting", "Reconnecting…");
    clearTimeout(this.#retry);
    this.#retry = setTimeout(async () => {
      if (await this.#on.stillSignedIn()) this.#open(this.cursor);
    }, delay);
  }
}
