import { cursorAfter } from "/shared/js/cursor.js";

// The page's end of the auctions' SSE bridge (AuctionBridge.cs). It opens after the newest result the page
// already has; EventSource's own reconnect resumes with Last-Event-ID, and a stream closed for good reopens
// with ?after= the last cursor, so no auction is missed or shown twice (anything at or before the cursor
// is dropped here as well). Auction cursors are stream ids, ordered as billing's are.
export class AuctionStream {
  #on;
  #source = null;
  #retry = 0;
  cursor = "";

  constructor(on) {
    this.#on = on;
  }

  start(after) {
    this.cursor = after;
    this.#open();
  }

  #open() {
    const source = new EventSource(`/api/exchange/auctions/live${this.cursor ? `?after=${encodeURIComponent(this.cursor)}` : ""}`);
    this.#source = source;
    source.addEventListener("ready", () => this.#on.status("live"));
    source.addEventListener("auction", (e) => {
      const auction = JSON.parse(e.data);
      if (this.cursor && !cursorAfter(auction.cursor, this.cursor)) return;
      this.cursor = auction.cursor;
      this.#on.auction(auction);
    });
    source.addEventListener("problem", (e) => {
      const { code } = JSON.parse(e.data);
      if (code === "refused") {
        source.close();
        this.#on.status("stopped");
      }
    });
    source.onerror = () => {
      if (source !== this.#source || source.readyState === EventSource.CONNECTING) return;
      this.#on.status("reconnecting"); // closed for good (a restart, sign-out): reopen from our cursor
      clearTimeout(this.#retry);
      this.#retry = setTimeout(async () => {
        if (await this.#on.stillSignedIn()) this.#open();
      }, 2000);
    };
  }
}
