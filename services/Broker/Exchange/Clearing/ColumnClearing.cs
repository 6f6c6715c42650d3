namespace Marketplace.Broker.Exchange.Clearing;

// Chooses the blocks and sets the prices on programs that hold only the takes that pay (ColumnProgram).
// First the relaxation (blocks 0..1): its optimum bounds every clearing. Where it chose whole blocks it
// is the optimum. Otherwise a dive finds a whole solution (Dive). Where that is short of the bound, SCIP
// searches for better blocks, started from the dive, for at most AuctionRules.SearchLimit, and the better
// of the two is kept. On a small program SCIP gets every block and take whose reduced cost loses less
// than the dive is short (any other would lose more, so the optimum needs none of them): its proof is
// the optimum's. On a large one it gets the takes the relaxation used, so only the bound can prove it.
// A solution that reaches the bound is the optimum however it was found; otherwise the gap is to the
// bound. Prices: the pool duals of the relaxation with the chosen blocks fixed, the linear program
// the whole formulation prices with. A book of more takes than AuctionRules.LargestRelaxation takes
// merit-order blocks instead (MeritOrder), its gap unproven.
static class ColumnClearing
{
    const double Tolerance = 1e-6;
    const int MostDiveSteps = 64;
    const int SmallSearch = 20_000;   // takes SCIP is given every one of that could matter
    const int LargestSearch = 40_000; // takes beyond which SCIP could not search within its limit

    public static (IPricingProgram Pricing, List<Placement> Chosen, bool Priced, double Optimum, double Gap) ChooseAndPrice(
        AuctionBook book, IReadOnlyList<DivisibleDemand> divisible, List<Placement> placements, AuctionRules rules, ClearingProfile times,
        EarlierRounds earlier)
    {
        var limit = rules.SolverTimeLimit;
        var products = book.Asks.Select(a => a.Product).Distinct().ToList();
        var productIndex = products.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var cheapest = book.Asks.GroupBy(a => a.Product).ToDictionary(g => g.Key, g => g.Min(a => a.CostPerHour));
        var columns = times.Time(ClearingProfile.Part.Build, () => new TakeColumns(book, divisible, productIndex));
        if (columns.Count > rules.LargestRelaxation)
            return MeritOrder(book, divisible, placements, columns, products, rules, times, earlier);
        var program = times.Time(ClearingProfile.Part.Build, () =>
            ColumnProgram.Build(book, columns, products, placements, integer: false, ColumnProgram.Likeliest(columns, cheapest)));
        var (solved, bound, gap) = times.Time(ClearingProfile.Part.SolveLp, () => program.SolveAddingTakes(limit));
        times.Sized(program.Variables, program.Constraints, 0);
        times.Unsolved += solved ? 0 : 1;
        if (!solved || placements.Count == 0)
            return (program, [], solved, solved ? bound : 0, gap);

        var relaxed = program.BlockValues().ToList();
        var slack = Tolerance * Math.Max(1, Math.Abs(bound));
        if (relaxed.All(b => b.Value < Tolerance || b.Value > 1 - Tolerance))
        {
            var whole = relaxed.Where(b => b.Value > 0.5).Select(b => b.Placement).ToList();
            return Fixed(program, whole, gap, limit, times);
        }

        var reduced = program.ReducedCosts();
        var dived = Dive(book, program, relaxed, limit, rules.SearchTimeLimit, times);
        if (dived is null)
            return Fixed(program, [], 1, limit, times);
        var (_, _, _, divedValue, divedGap) = Fixed(program, dived, gap, limit, times);
        var shortBy = bound - divedValue;
        if (shortBy <= slack)
            return (program, dived, true, divedValue, divedGap);

        // The optimum uses no take or block that would lose more than the dive is short by: a rule that
        // needs whole takes, so with PFLOPS-hour bids every take stays in.
        var least = -shortBy - slack;
        var divedShort = Math.Max(divedGap, shortBy / Math.Max(Tolerance, Math.Abs(divedValue)));
        var takes = columns.Whole
            ? Enumerable.Range(0, columns.Count).Where(c => reduced.Takes[c] >= least).ToList()
            : Enumerable.Range(0, columns.Count).ToList();
        var exact = takes.Count <= SmallSearch;
        if (!exact)
            takes = program.GeneratedTakes().ToList();
        if (takes.Count > LargestSearch)
            return (program, dived, true, divedValue, divedShort);   // still fixed at the dive
        var candidates = placements.Where((p, i) => reduced.Blocks[i] >= least || relaxed[i].Value > Tolerance).ToList();
        using var choice = times.Time(ClearingProfile.Part.Build, () =>
            ColumnProgram.Build(book, columns, products, candidates, integer: true, takes));
        times.Sized(choice.Variables, choice.Constraints, candidates.Count);
        choice.Hint(dived);
        var (chose, _, mipGap) = times.Time(ClearingProfile.Part.SolveMip, () => choice.Solve(rules.SearchTimeLimit));
        if (!chose)
            return Fixed(program, dived, divedShort, limit, times);
        var chosen = choice.ChosenBlocks().ToList();
        var (_, _, priced, value, lpGap) = Fixed(program, chosen, gap, limit, times);
        if (!priced || value < divedValue - slack)
            return Fixed(program, dived, divedShort, limit, times);
        var proven = exact && mipGap == 0 || bound - value <= slack ? 0 : Math.Max(0, (bound - value) / Math.Max(Tolerance, Math.Abs(value)));
        return (program, chosen, true, value, Math.Max(lpGap, proven));
    }

    // Past AuctionRules.LargestRelaxation: the merit-order blocks (from the second round on, none that would
    // lose at the last round's flow prices: EarlierRounds), and the divisible bids cleared around them by a
    // min-cost flow where every take is whole accelerator-hours (FlowProgram), its gap to the bound its
    // potentials give (FlowProgram.Bound), else by one linear program with presolve (ClearingProgram), which
    // computes no bound, so the gap is reported whole.
    static (IPricingProgram, List<Placement>, bool, double, double) MeritOrder(AuctionBook book,
        IReadOnlyList<DivisibleDemand> divisible, List<Placement> placements, TakeColumns columns, IReadOnlyList<Product> products,
        AuctionRules rules, ClearingProfile times, EarlierRounds earlier)
    {
        var limit = rules.SolverTimeLimit;
        var chosen = times.Time(ClearingProfile.Part.Build, () => MeritOrderBlocks.Of(book, placements, earlier.Loses));
        if (rules.FlowPrices && columns.Whole)
        {
            var flow = times.Time(ClearingProfile.Part.Build, () => FlowProgram.Build(book, columns, products));
            flow.FixBlocks(chosen);
            times.Sized(flow.Arcs, flow.Nodes, 0);
            var (solved, worth, flowGap) = times.Time(ClearingProfile.Part.SolveFlow, flow.Solve);
            times.Unsolved += solved ? 0 : 1;
            earlier.AboveAsks = flow.AboveAsks();
            if (!solved || placements.Count == 0)
                return (flow, chosen, solved, solved ? worth : 0, flowGap);
            var value = worth + (double)chosen.Sum(p => p.OwnSurplus);
            var bound = times.Time(ClearingProfile.Part.SolveFlow, () => flow.Bound(placements));
            return (flow, chosen, true, value, Shortfall(bound, value));
        }
        var pricing = times.Time(ClearingProfile.Part.Build, () => ClearingProgram.Build(book, divisible, chosen, fixedBlocks: true));
        times.Sized(pricing.Variables, pricing.Constraints, 0);
        var (priced, lpValue, lpGap) = times.Time(ClearingProfile.Part.SolveLp, () => pricing.Solve(limit));
        times.Unsolved += priced ? 0 : 1;
        // The linear program's objective leaves out the fixed blocks: their own surplus is added here.
        return (pricing, chosen, priced, priced ? lpValue + (double)chosen.Sum(p => p.OwnSurplus) : 0, placements.Count == 0 ? lpGap : 1);
    }

    // How far a clearing's value is below a bound on every clearing, relative to the value: 0 within the tolerance.
    static double Shortfall(double bound, double value) =>
        bound - value <= Tolerance * Math.Max(1, Math.Abs(value)) ? 0 : (bound - value) / Math.Max(Tolerance, Math.Abs(value));

    // The relaxation with these blocks fixed: its optimum, and its duals the prices.
    static (IPricingProgram, List<Placement>, bool, double, double) Fixed(ColumnProgram program, List<Placement> blocks,
        double gap, TimeSpan limit, ClearingProfile times)
    {
        program.FixBlocks(blocks);
        var (solved, value, lpGap) = times.Time(ClearingProfile.Part.SolveLp, () => program.SolveAddingTakes(limit));
        times.Unsolved += solved ? 0 : 1;
        return (program, blocks, solved, value, Math.Max(gap, lpGap));
    }

    // Fixes blocks in, the surest first, solving again from the last basis after each step, until the
    // relaxation's blocks are all whole: each step fixes every whole block and the surest fractional one
    // (past half the budget, the surer half of them: fewer, costlier steps), and the last (MostDiveSteps,
    // or the first past `budget`) every block, in where it is above one half. A block that no longer fits beside those fixed, or whose bid has one, is fixed
    // out. Null if a solve failed.
    static List<Placement>? Dive(AuctionBook book, ColumnProgram program, List<(Placement Placement, double Value)> relaxed,
        TimeSpan limit, TimeSpan budget, ClearingProfile times)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var left = book.Asks.ToDictionary(a => a.OfferId, a => a.Free.ToArray());
        var settled = new bool[relaxed.Count];
        var placed = new HashSet<string>();
        var chosen = new List<Placement>();
        for (var step = 1; ; step++)
        {
            var open = Enumerable.Range(0, relaxed.Count).Where(i => !settled[i]).ToList();
            var fractional = open.Where(i => relaxed[i].Value > Tolerance && relaxed[i].Value < 1 - Tolerance)
                .OrderByDescending(i => relaxed[i].Value).ThenByDescending(i => relaxed[i].Placement.OwnSurplus).ToList();
            if (fractional.Count == 0)
                return chosen.Concat(open.Where(i => relaxed[i].Value > 0.5).Select(i => relaxed[i].Placement)).ToList();
            var spent = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            var last = step == MostDiveSteps || spent > budget;
            var surest = spent < budget / 2 ? 1 : (fractional.Count + 1) / 2;
            var fixing = open.Where(i => relaxed[i].Value >= 1 - Tolerance)
                .Concat(last ? fractional.Where(i => relaxed[i].Value > 0.5) : fractional.Take(surest)).ToList();
            foreach (var i in fixing)
            {
                var placement = relaxed[i].Placement;
                var free = left[placement.Ask.OfferId];
                var fits = !placed.Contains(placement.Bid.Id)
                           && Enumerable.Range(placement.Start, placement.Hours).All(t => free[t] >= placement.Bid.Accelerators);
                program.FixBlock(i, fits);
                settled[i] = true;
                if (!fits)
                    continue;
                for (var t = placement.Start; t < placement.End; t++)
                    free[t] -= placement.Bid.Accelerators;
                placed.Add(placement.Bid.Id);
                chosen.Add(placement);
            }
            if (last)
                foreach (var i in open.Where(i => !settled[i]))
                    program.FixBlock(i, false);
            var (solved, _, _) = times.Time(ClearingProfile.Part.SolveLp, () => program.SolveAddingTakes(limit));
            if (!solved)
                return null;
            if (last)
                return chosen;
            relaxed = program.BlockValues().ToList();
        }
    }
}
