namespace Marketplace.Broker.Exchange.Clearing;

// Clears a book in one call: chooses the blocks (a MIP when all-or-nothing bids take part), then sets the
// prices with those blocks fixed (a linear program whose pool duals are the prices, as power exchanges
// do). A divisible bid pays its product's price each hour; a block pays it too, or its own site's ask
// where that is higher (keeping a job in one interconnect domain can cost more than the pool's margin).
// A block that would then pay more than it is worth is paradoxical: it leaves, and the auction is cleared
// again without it, up to Rounds times.
public sealed class CallAuction(AuctionRules rules)
{
    public AuctionOutcome Clear(AuctionBook book)
    {
        var asks = book.Asks.ToDictionary(a => a.OfferId);
        var cheapest = book.Asks.GroupBy(a => a.Product).ToDictionary(g => g.Key, g => g.Min(a => a.CostPerHour));
        var divisible = book.Bids.Where(b => !b.AllOrNothing).Select(b => DivisibleDemand.Of(b, asks, cheapest))
            .Where(d => d.Products.Count > 0).ToList();
        var setAside = new List<string>();
        decimal? best = null;
        double gap = 0;
        for (var round = 1; ; round++)
        {
            var placements = book.Bids.Where(b => b.AllOrNothing && !setAside.Contains(b.Id))
                .SelectMany(b => Placement.For(b, asks, book.Slots, rules.PlacementsPerBid)).ToList();
            var chosen = new List<Placement>();
            if (placements.Count > 0)
            {
                using var allocation = ClearingProgram.Build(book, divisible, placements, fixedBlocks: false);
                var (solved, objective, roundGap) = allocation.Solve(rules.SolverTimeLimit);
                if (solved)
                {
                    chosen.AddRange(allocation.ChosenBlocks());
                    best ??= (decimal)objective;
                    gap = round == 1 ? roundGap : gap;
                }
            }
            using var pricing = ClearingProgram.Build(book, divisible, chosen, fixedBlocks: true);
            var (priced, pricedObjective, _) = pricing.Solve(rules.SolverTimeLimit);
            best ??= priced ? (decimal)pricedObjective : 0;
            var settlement = Settlement.Of(book, pricing, chosen, priced);
            var paradoxical = settlement.Paradoxical().ToList();
            if (paradoxical.Count == 0 || round > rules.Rounds)
            {
                // Past the last round a paradoxical block still leaves; its capacity stays unsold.
                setAside.AddRange(paradoxical);
                return settlement.Outcome(book, setAside, Math.Round(best.Value, 4), gap, round);
            }
            setAside.AddRange(paradoxical);
        }
    }
}
