using Google.OrTools.LinearSolver;

namespace Marketplace.Broker.Exchange.Clearing;

// The auction as one optimisation: maximise value to the bids minus cost of the asks, subject to each
// offer's free capacity in each slot, each bid's quantity and accelerators at a time, and at most one
// block per all-or-nothing bid. Divisible bids draw from a pool per product and slot whose balance row's
// dual is that product's clearing price; asks supply the pool from what blocks leave them.
//
// With blocks to choose it is a MIP (SCIP); with the blocks fixed it is a linear program (GLOP) whose
// duals are the prices. Every pool row is a network flow (ask -> product-slot -> bid-slot -> bid), so
// with accelerator-hour bids the linear program's vertices fill whole accelerators.
sealed class ClearingProgram : IPricingProgram
{
    readonly Solver _solver;
    readonly List<(int Ask, int Slot, Variable Supply)> _supply = [];
    readonly List<(DivisibleDemand Demand, int Product, int Slot, Variable Take)> _takes = [];
    readonly Dictionary<(int Product, int Slot), Constraint> _pool = [];
    readonly List<(Placement Placement, Variable Chosen)> _blocks = [];

    ClearingProgram(Solver solver) => _solver = solver;

    public IReadOnlyList<Product> Products { get; private init; } = [];

    // placements: blocks to choose among (a MIP), or blocks already chosen (fixed: a linear program).
    public static ClearingProgram Build(AuctionBook book, IReadOnlyList<DivisibleDemand> divisible,
        IReadOnlyList<Placement> placements, bool fixedBlocks)
    {
        var solver = Solver.CreateSolver(fixedBlocks || placements.Count == 0 ? "GLOP" : "SCIP")
                     ?? throw new InvalidOperationException("OR-Tools has no GLOP or SCIP solver in this build");
        var products = book.Asks.Select(a => a.Product).Distinct().ToList();
        var productIndex = products.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var program = new ClearingProgram(solver) { Products = products };
        var objective = solver.Objective();
        objective.SetMaximization();

        // What the blocks take (fixed) or may take (chosen) of each offer-slot.
        var askIndex = book.Asks.Select((a, i) => (a.OfferId, i)).ToDictionary(x => x.OfferId, x => x.i);
        var taken = new Dictionary<(int Ask, int Slot), int>();
        var capacityRows = new Dictionary<(int Ask, int Slot), Constraint>();
        var oneEach = new Dictionary<string, Constraint>();
        foreach (var placement in placements)
        {
            var ask = askIndex[placement.Ask.OfferId];
            if (fixedBlocks)
            {
                for (var t = placement.Start; t < placement.End; t++)
                    taken[(ask, t)] = taken.GetValueOrDefault((ask, t)) + placement.Bid.Accelerators;
                continue;
            }
            var chosen = solver.MakeBoolVar("");
            program._blocks.Add((placement, chosen));
            objective.SetCoefficient(chosen, (double)placement.OwnSurplus);
            if (!oneEach.TryGetValue(placement.Bid.Id, out var one))
                oneEach[placement.Bid.Id] = one = solver.MakeConstraint(0, 1, "");
            one.SetCoefficient(chosen, 1);
            for (var t = placement.Start; t < placement.End; t++)
                CapacityRow(solver, capacityRows, book, ask, t).SetCoefficient(chosen, placement.Bid.Accelerators);
        }

        // The pool: a row per product-slot some divisible bid reaches.
        foreach (var demand in divisible)
        {
            var bid = demand.Bid;
            var quantity = solver.MakeConstraint(0, (double)bid.Quantity, "");
            for (var t = bid.FirstSlot; t < Math.Min(bid.EndSlot, book.Slots); t++)
            {
                var atOnce = solver.MakeConstraint(0, bid.Accelerators, "");
                foreach (var (product, value, unitsPerHour, _, ready) in demand.Products)
                {
                    if (t < ready)
                        continue;
                    var k = productIndex[product];
                    var take = solver.MakeNumVar(0, bid.Accelerators, "");
                    program._takes.Add((demand, k, t, take));
                    objective.SetCoefficient(take, (double)value);
                    quantity.SetCoefficient(take, (double)unitsPerHour);
                    atOnce.SetCoefficient(take, 1);
                    if (!program._pool.TryGetValue((k, t), out var row))
                        program._pool[(k, t)] = row = solver.MakeConstraint(double.NegativeInfinity, 0, "");
                    row.SetCoefficient(take, 1);
                }
            }
        }

        // Asks supply the pool rows of their product from what is free and not taken by a fixed block.
        for (var a = 0; a < book.Asks.Count; a++)
        {
            var ask = book.Asks[a];
            var k = productIndex[ask.Product];
            for (var t = 0; t < book.Slots; t++)
            {
                if (!program._pool.TryGetValue((k, t), out var row))
                    continue;
                var free = ask.Free[t] - taken.GetValueOrDefault((a, t));
                if (free <= 0)
                    continue;
                var supply = solver.MakeNumVar(0, free, "");
                program._supply.Add((a, t, supply));
                row.SetCoefficient(supply, -1);
                objective.SetCoefficient(supply, -(double)ask.CostPerHour);
                if (capacityRows.TryGetValue((a, t), out var capacity))
                    capacity.SetCoefficient(supply, 1);
            }
        }
        return program;
    }

    static Constraint CapacityRow(Solver solver, Dictionary<(int, int), Constraint> rows, AuctionBook book, int ask, int t)
    {
        if (!rows.TryGetValue((ask, t), out var row))
            rows[(ask, t)] = row = solver.MakeConstraint(0, book.Asks[ask].Free[t], "");
        return row;
    }

    public int Variables => _solver.NumVariables();
    public int Constraints => _solver.NumConstraints();

    public (bool Solved, double Objective, double Gap) Solve(TimeSpan limit)
    {
        _solver.SetTimeLimit((long)limit.TotalMilliseconds);
        using var parameters = new MPSolverParameters();
        if (_blocks.Count > 0)
            parameters.SetDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0);
        var status = _solver.Solve(parameters);
        if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
            return (false, 0, 1);
        var value = _solver.Objective().Value();
        // A linear program stopped by the time limit (feasible, not proven optimal) counts a whole gap.
        var gap = _blocks.Count == 0 ? status == Solver.ResultStatus.OPTIMAL ? 0 : 1
            : status == Solver.ResultStatus.OPTIMAL && _solver.Objective().BestBound() - value <= 1e-6 ? 0
            : Math.Max(0, (_solver.Objective().BestBound() - value) / Math.Max(1e-9, Math.Abs(value)));
        return (true, value, gap);
    }

    public IEnumerable<Placement> ChosenBlocks() =>
        _blocks.Where(b => b.Chosen.SolutionValue() > 0.5).Select(b => b.Placement);

    // Whole accelerators each bid takes of each product in each slot: exact at a vertex for
    // accelerator-hour bids; rounded down where a bid counts in PFLOPS-hours.
    public IEnumerable<(DivisibleDemand Demand, int Product, int Slot, int Units)> Takes() =>
        _takes.Select(x => (x.Demand, x.Product, x.Slot, Units: (int)Math.Floor(x.Take.SolutionValue() + 1e-6)))
            .Where(x => x.Units > 0);

    public IEnumerable<((int Product, int Slot) At, double Dual)> PoolDuals() =>
        _pool.Select(p => (p.Key, p.Value.DualValue()));

    public void Dispose() => _solver.Dispose();
}
