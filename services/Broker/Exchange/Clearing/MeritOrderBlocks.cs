namespace Marketplace.Broker.Exchange.Clearing;

// Blocks chosen without a solver: bids by limit, highest first, each taking its best placement (most own
// surplus) that still fits beside the blocks already taken, as a merit-order match does. Where a book is
// too large for the relaxation to pay, the divisible bids are then cleared optimally around these.
static class MeritOrderBlocks
{
    // leaving: placements not to take (EarlierRounds.Loses).
    public static List<Placement> Of(AuctionBook book, IReadOnlyList<Placement> placements, Func<Placement, bool>? leaving = null)
    {
        var left = book.Asks.ToDictionary(a => a.OfferId, a => a.Free.ToArray());
        var chosen = new List<Placement>();
        foreach (var bid in placements.GroupBy(p => p.Bid).OrderByDescending(g => g.Key.Limit).ThenBy(g => g.Key.Id, StringComparer.Ordinal))
        {
            // Placement.For gives a bid's placements best own surplus first.
            var fitting = bid.FirstOrDefault(p => Enumerable.Range(p.Start, p.Hours).All(t => left[p.Ask.OfferId][t] >= p.Bid.Accelerators)
                                                  && leaving?.Invoke(p) != true);
            if (fitting is null)
                continue;
            for (var t = fitting.Start; t < fitting.End; t++)
                left[fitting.Ask.OfferId][t] -= fitting.Bid.Accelerators;
            chosen.Add(fitting);
        }
        return chosen;
    }
}
