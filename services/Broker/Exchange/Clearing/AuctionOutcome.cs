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

    // The outcome of a book from the outcomes of its independent parts, in the order one clearing gives.
    // The gap is the widest part's.
    public static AuctionOutcome Joined(AuctionBook book, IReadOnlyList<AuctionOutcome> parts)
    {
        var order = book.Bids.Select((b, i) => (b.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var best = parts.Sum(p => p.BestSurplus);
        return new AuctionOutcome(
            parts.SelectMany(p => p.Fills).OrderBy(f => f.BidId, StringComparer.Ordinal).ThenBy(f => f.Slot)
                .ThenBy(f => f.OfferId, StringComparer.Ordinal).ToList(),
            parts.SelectMany(p => p.Prices).OrderBy(p => p.Slot).ThenBy(p => p.HubId, StringComparer.Ordinal)
                .ThenBy(p => p.RegionId, StringComparer.Ordinal).ThenBy(p => p.Model, StringComparer.Ordinal).ToList(),
            parts.SelectMany(p => p.Unfilled).OrderBy(u => order[u.BidId]).ToList(),
            parts.Sum(p => p.Surplus),
            best,
            parts.Count == 0 ? 0 : parts.Max(p => p.Gap),
            parts.Sum(p => p.BidderPayments),
            parts.Sum(p => p.ProviderReceipts),
            parts.SelectMany(p => p.Paradoxical).OrderBy(id => order[id]).ToList(),
            parts.Count == 0 ? 1 : parts.Max(p => p.Rounds));
    }
}

// Units accelerators of an offer in one slot, for a bid, at Price each. Value: what the hour is worth
// to the bid (its limit less moving and latency), so Value - Price is the bid's own surplus; Cost: the
// ask's; Transfer: the part of moving the data this fill carries, in yuan for all its units.
public sealed record Fill(string BidId, string OfferId, int Slot, int Units, decimal Price, decimal Value, decimal Cost,
    decimal Transfer);

// The clearing price of a product in a slot, where anything traded in the pool; Volume in accelerators.
public sealed record ProductPrice(string RegionId, string HubId, string Model, int Slot, decimal Price, int Volume);

public sealed record UnfilledBid(string BidId, string Reason);
