namespace Marketplace.Broker.Exchange.Clearing;

// What a call auction decided. Money per accelerator-hour unless named otherwise.
public sealed record AuctionOutcome(
    IReadOnlyList<Fill> Fills,
    IReadOnlyList<ProductPrice> Prices,
    IReadOnlyList<UnfilledBid> Unfilled,
    decimal Surplus,              // value to the winning bids - cost of the asks they took
    decimal BestSurplus,          // the optimum before any bid was set aside as paradoxical
    double Gap,                   // the solver's optimality gap: 0 when proven optimal
    decimal BidderPayments,       // compute at the clearing prices + moving the data
    decimal ProviderReceipts,     // compute at the clearing prices
    IReadOnlyList<string> Paradoxical,
    int Rounds)
{
    public decimal MovingCost => BidderPayments - ProviderReceipts;

    public IEnumerable<Fill> FillsOf(string bidId) => Fills.Where(f => f.BidId == bidId);
}

// Units accelerators of an offer in one slot, for a bid, at Price each. Value: what the hour is worth
// to the bid (its limit less moving and latency), so Value - Price is the bid's own surplus; Cost: the
// ask's; Transfer: the part of moving the data this fill carries, in yuan for all its units.
public sealed record Fill(string BidId, string OfferId, int Slot, int Units, decimal Price, decimal Value, decimal Cost,
    decimal Transfer);

// The clearing price of a product in a slot, where anything traded in the pool; Volume in accelerators.
public sealed record ProductPrice(string RegionId, string HubId, string Model, int Slot, decimal Price, int Volume);

public sealed record UnfilledBid(string BidId, string Reason);
