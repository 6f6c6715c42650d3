import { count, money } from "/shared/js/format.js";

const UNFILLED_FROM = 5; // auctions back

// The newest auction in one line of figures, and the bids the last few left unfilled, with each one's reason.
export function drawAuctionSummary(box, auctions) {
  const auction = auctions[auctions.length - 1];
  if (!auction) {
    box.textContent = "No auction has cleared yet. The market clock runs one every hour; an operator can run one now.";
    return;
  }
  box.dataset.auction = auction.id;
  const figures = document.createElement("p");
  figures.className = "figures";
  figures.textContent = [
    `Auction ${auction.id}`,
    `${auction.bidsFilled} of ${auction.bidsIn} bids filled`,
    `${count(auction.acceleratorHours)} acc-h`,
    `surplus ${money(auction.surplusFen)}`,
    `providers receive ${money(auction.providerReceiptsFen)}`,
    `moving the data ${money(auction.movingCostFen)}`,
    auction.optimalityGap === 0 ? "proven optimal" : `gap ${(auction.optimalityGap * 100).toFixed(2)}%`,
  ].join(" · ");
  const unfilled = document.createElement("ul");
  unfilled.className = "unfilled";
  for (const { id, bid } of auctions.slice(-UNFILLED_FROM).reverse().flatMap((a) => a.unfilled.map((bid) => ({ id: a.id, bid })))) {
    const li = document.createElement("li");
    li.dataset.bid = bid.bidId;
    li.dataset.auction = id;
    li.innerHTML = `<code></code> <span class="state"></span> <span class="why"></span>`;
    li.querySelector("code").textContent = `${id} · ${bid.bidId}`;
    li.querySelector(".state").textContent = bid.state;
    li.querySelector(".why").textContent = bid.outcome;
    unfilled.appendChild(li);
  }
  const heading = document.createElement("h3");
  heading.textContent = unfilled.children.length ? "Left unfilled, and why" : "Every bid of the last auctions was filled";
  box.replaceChildren(figures, heading, unfilled);
}
