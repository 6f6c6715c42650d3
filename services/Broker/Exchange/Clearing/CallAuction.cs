namespace Marketplace.Broker.Exchange.Clearing;

// Clears a book in one call: chooses the blocks (a MIP when all-or-nothing bids take part), then sets the
// prices with those blocks fixed (a linear program whose pool duals are the prices, as power exchanges
// do). A divisible bid pays its product's price each hour; a block pays it too, or its own site's ask
// where that is higher (keeping a job in one interconnect domain can cost more than the pool's margin).
// A block that would then pay more than it is worth is paradoxical: it leaves, and the auction is cleared
// again without it, up to Rounds times.
public sealed class CallAuction(AuctionRules rules)
{
    // profile, when given, is told where the time went (the bench reads it).
    public AuctionOutcome Clear(AuctionBook book, ClearingProfile? profile = null)
    {
        var times = profile ?? new ClearingProfile();
        if (!rules.Decompose)
            return ClearWhole(book, times);
        var parts = times.Time(ClearingProfile.Part.Build, () => IndependentBooks.Of(book));
        times.Parts = parts.Count;
        var outcomes = parts.Select(part => ClearWhole(part, times)).ToList();
        return times.Time(ClearingProfile.Part.Settle, () => AuctionOutcome.Joined(book, outcomes));
    }

    AuctionOutcome ClearWhole(AuctionBook book, ClearingProfile times)
    {
        var asks = book.Asks.ToDictionary(a => a.OfferId);
        var divisible = times.Time(ClearingProfile.Part.Build, () =>
        {
            var cheapest = book.Asks.GroupBy(a => a.Product).ToDictionary(g => g.Key, g => g.Min(a => a.CostPerHour));
            return book.Bids.Where(b => !b.AllOrNothing).Select(b => DivisibleDemand.Of(b, asks, cheapest))
                .Where(d => d.Products.Count > 0).ToList();
        });
        var setAside = new List<string>();
        var earlier = new EarlierRounds();
        decimal? best = null;
        double gap = 0;
        for (var round = 1; ; round++)
        {
            var placements = times.Time(ClearingProfile.Part.Build, () => book.Bids
                .Where(b => b.AllOrNothing && !setAside.Contains(b.Id))
                .SelectMany(b => Placement.For(b, asks, book.Slots, rules.PlacementsPerBid)).ToList());
            var (pricing, chosen, priced, optimum, roundGap) = ChooseAndPrice(book, divisible, placements, times, earlier);
            using var _ = pricing;
            best ??= (decimal)optimum;
            gap = round == 1 ? roundGap : gap;
            var settlement = times.Time(ClearingProfile.Part.Settle, () => Settlement.Of(book, pricing, chosen, priced));
            var paradoxical = times.Time(ClearingProfile.Part.Settle, () => settlement.Paradoxical().ToList());
            if (paradoxical.Count == 0 || round > rules.Rounds)
            {
                // Past the last round a paradoxical block still leaves; its capacity stays unsold.
                setAside.AddRange(paradoxical);
                return times.Time(ClearingProfile.Part.Settle,
                    () => settlement.Outcome(book, setAside, Math.Round(best.Value, 4), gap, round));
            }
            setAside.AddRange(paradoxical);
        }
    }

    // Chooses the blocks (the MIP, when there are any to choose) and sets the prices (a program with the
    // chosen blocks fixed, which it returns). The gap is the wider of the two programs' own. With AllTakes
    // every take is a column of both; otherwise only those that pay are (ColumnClearing).
    (IPricingProgram Pricing, List<Placement> Chosen, bool Priced, double Optimum, double Gap) ChooseAndPrice(
        AuctionBook book, List<DivisibleDemand> divisible, List<Placement> placements, ClearingProfile times, EarlierRounds earlier)
    {
        if (!rules.AllTakes)
            return ColumnClearing.ChooseAndPrice(book, divisible, placements, rules, times, earlier);
        var chosen = new List<Placement>();
        double? optimum = null;
        double gap = 0;
        if (placements.Count > 0)
        {
            using var allocation = times.Time(ClearingProfile.Part.Build, () => ClearingProgram.Build(book, divisible, placements, fixedBlocks: false));
            times.Sized(allocation.Variables, allocation.Constraints, placements.Count);
            var (solved, objective, mipGap) = times.Time(ClearingProfile.Part.SolveMip, () => allocation.Solve(rules.SolverTimeLimit));
            times.Unsolved += solved ? 0 : 1;
            gap = mipGap;
            if (solved)
            {
                chosen.AddRange(allocation.ChosenBlocks());
                optimum = objective;
            }
        }
        var pricing = times.Time(ClearingProfile.Part.Build, () => ClearingProgram.Build(book, divisible, chosen, fixedBlocks: true));
        times.Sized(pricing.Variables, pricing.Constraints, 0);
        var (priced, pricedObjective, lpGap) = times.Time(ClearingProfile.Part.SolveLp, () => pricing.Solve(rules.SolverTimeLimit));
        times.Unsolved += priced ? 0 : 1;
        return (pricing, chosen, priced, optimum ?? (priced ? pricedObjective : 0), Math.Max(gap, lpGap));
    }
}
