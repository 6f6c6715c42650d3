using Google.OrTools.LinearSolver;

namespace Marketplace.Broker.Exchange.Clearing;

// The auction's optimisation (as ClearingProgram states it) holding only the divisible takes that pay.
// A take (bid x product x slot) is a column; most are zero at the optimum, so the linear program starts
// from each bid-slot's likeliest product and adds, round by round, every take whose reduced cost against
// the duals is positive (column generation). When none is left the program's optimum and duals are those
// of the program with every take, and the pool duals are the prices.
//
// Blocks are columns too: relaxed (0..1, GLOP), chosen (binary, SCIP), or fixed by their bounds, so one
// program gives the relaxation's bound and, with the blocks fixed, the prices.
sealed class ColumnProgram : IPricingProgram
{
    const double Pays = 1e-7;            // a reduced cost above this adds the take
    const int MostRounds = 200;

    readonly Solver _solver;
    readonly AuctionBook _book;
    readonly TakeColumns _columns;
    readonly Variable?[] _takes;
    readonly Constraint?[] _quantity;
    readonly Dictionary<(int Demand, int Slot), Constraint> _atOnce = [];
    readonly Dictionary<(int Demand, int Slot), int> _alone = [];   // the one take of a bid-slot without its row
    readonly List<int>?[] _ofDemand;
    readonly decimal[] _reach;                                      // a bid's takes all at their bounds
    readonly Dictionary<(int Product, int Slot), Constraint> _pool = [];
    readonly List<(Placement Placement, Variable Chosen)> _blocks = [];
    readonly Objective _objective;

    ColumnProgram(Solver solver, AuctionBook book, TakeColumns columns, IReadOnlyList<Product> products)
    {
        (_solver, _book, _columns, Products) = (solver, book, columns, products);
        _takes = new Variable?[columns.Count];
        _quantity = new Constraint?[columns.Divisible.Count];
        _ofDemand = new List<int>?[columns.Divisible.Count];
        _reach = new decimal[columns.Divisible.Count];
        _objective = solver.Objective();
        _objective.SetMaximization();
    }

    public IReadOnlyList<Product> Products { get; }
    public int Variables => _solver.NumVariables();
    public int Constraints => _solver.NumConstraints();
    public int Generated { get; private set; }   // takes added to the program, of _columns.Count

    // integer: choose the blocks (SCIP); otherwise relax them to 0..1 (GLOP). takes: the columns to start with.
    public static ColumnProgram Build(AuctionBook book, TakeColumns columns, IReadOnlyList<Product> products,
        IReadOnlyList<Placement> placements, bool integer, IEnumerable<int> takes)
    {
        var solver = Solver.CreateSolver(integer ? "SCIP" : "GLOP")
                     ?? throw new InvalidOperationException("OR-Tools has no GLOP or SCIP solver in this build");
        // GLOP starts again from its last basis when only columns or bounds changed, unless presolve remade the program.
        if (!integer)
            solver.SetSolverSpecificParametersAsString("use_preprocessing: false");
        var program = new ColumnProgram(solver, book, columns, products);
        var productIndex = products.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var askIndex = book.Asks.Select((a, i) => (a.OfferId, i)).ToDictionary(x => x.OfferId, x => x.i);
        var capacity = new Dictionary<(int Ask, int Slot), Constraint>();
        var oneEach = new Dictionary<string, Constraint>();
        foreach (var placement in placements)
        {
            var chosen = integer ? solver.MakeBoolVar("") : solver.MakeNumVar(0, 1, "");
            program._blocks.Add((placement, chosen));
            program._objective.SetCoefficient(chosen, (double)placement.OwnSurplus);
            if (!oneEach.TryGetValue(placement.Bid.Id, out var one))
                oneEach[placement.Bid.Id] = one = solver.MakeConstraint(0, 1, "");
            one.SetCoefficient(chosen, 1);
            var ask = askIndex[placement.Ask.OfferId];
            for (var t = placement.Start; t < placement.End; t++)
            {
                if (!capacity.TryGetValue((ask, t), out var row))
                    capacity[(ask, t)] = row = solver.MakeConstraint(0, book.Asks[ask].Free[t], "");
                row.SetCoefficient(chosen, placement.Bid.Accelerators);
            }
        }

        // A pool row for every product-slot some take reaches, supplied by its product's asks.
        for (var c = 0; c < columns.Count; c++)
        {
            var at = (columns[c].Product, columns[c].Slot);
            if (!program._pool.ContainsKey(at))
                program._pool[at] = solver.MakeConstraint(double.NegativeInfinity, 0, "");
        }
        for (var a = 0; a < book.Asks.Count; a++)
        {
            var ask = book.Asks[a];
            var k = productIndex[ask.Product];
            for (var t = 0; t < book.Slots; t++)
            {
                if (ask.Free[t] <= 0 || !program._pool.TryGetValue((k, t), out var row))
                    continue;
                var supply = solver.MakeNumVar(0, ask.Free[t], "");
                row.SetCoefficient(supply, -1);
                program._objective.SetCoefficient(supply, -(double)ask.CostPerHour);
                if (capacity.TryGetValue((a, t), out var shared))
                    shared.SetCoefficient(supply, 1);
            }
        }
        foreach (var c in takes)
            program.Add(c);
        return program;
    }

    // The likeliest take of each bid-slot: the product worth most above its cheapest ask.
    public static IEnumerable<int> Likeliest(TakeColumns columns, IReadOnlyDictionary<Product, decimal> cheapest)
    {
        foreach (var (from, to) in columns.BidSlots())
        {
            var best = from;
            for (var c = from + 1; c < to; c++)
                if (Margin(c) > Margin(best))
                    best = c;
            if (to > from)
                yield return best;
        }

        decimal Margin(int c) => columns.Option(c).Value - cheapest[columns.Option(c).Product];
    }

    // A bid-slot's row (accelerators at once) and a bid's (its quantity) join the program only once they
    // could bind: while a bid-slot has one take, its bound is the row; while a bid's takes could not reach
    // its quantity all at their bounds, the row is slack. Most bid-slots never need one.
    void Add(int c)
    {
        if (_takes[c] is not null)
            return;
        var take = _columns[c];
        var bid = _columns.Divisible[take.Demand].Bid;
        var option = _columns.Option(c);
        var x = _solver.MakeNumVar(0, bid.Accelerators, "");
        _takes[c] = x;
        Generated++;
        _objective.SetCoefficient(x, (double)option.Value);
        _pool[(take.Product, take.Slot)].SetCoefficient(x, 1);

        var at = (take.Demand, take.Slot);
        if (_atOnce.TryGetValue(at, out var atOnce))
            atOnce.SetCoefficient(x, 1);
        else if (_alone.Remove(at, out var first))
        {
            _atOnce[at] = atOnce = _solver.MakeConstraint(0, bid.Accelerators, "");
            atOnce.SetCoefficient(_takes[first]!, 1);
            atOnce.SetCoefficient(x, 1);
        }
        else
            _alone[at] = c;

        var ofBid = _ofDemand[take.Demand] ??= [];
        ofBid.Add(c);
        _reach[take.Demand] += bid.Accelerators * option.UnitsPerHour;
        if (_quantity[take.Demand] is { } quantity)
            quantity.SetCoefficient(x, (double)option.UnitsPerHour);
        else if (_reach[take.Demand] > bid.Quantity)
        {
            _quantity[take.Demand] = quantity = _solver.MakeConstraint(0, (double)bid.Quantity, "");
            foreach (var other in ofBid)
                quantity.SetCoefficient(_takes[other]!, (double)_columns.Option(other).UnitsPerHour);
        }
    }

    // What one more unit of a take would add at the current duals (its own reduced cost once it is in).
    // A bid-slot without its row prices it at what its lone take gains at its bound, the row's dual had
    // it one.
    double ReducedCost(int c)
    {
        if (_takes[c] is { } x)
            return x.ReducedCost();
        var take = _columns[c];
        var option = _columns.Option(c);
        var at = (take.Demand, take.Slot);
        var atOnce = _atOnce.TryGetValue(at, out var row) ? row.DualValue()
            : _alone.TryGetValue(at, out var first) && _takes[first]!.SolutionValue() >= _columns.Divisible[take.Demand].Bid.Accelerators - 1e-9
                ? Math.Max(0, _takes[first]!.ReducedCost()) : 0;
        return (double)option.Value - _pool[(take.Product, take.Slot)].DualValue() - atOnce
               - (_quantity[take.Demand] is { } quantity ? quantity.DualValue() * (double)option.UnitsPerHour : 0);
    }

    public (bool Solved, double Objective, double Gap) Solve(TimeSpan limit)
    {
        _solver.SetTimeLimit((long)Math.Max(1, limit.TotalMilliseconds));
        using var parameters = new MPSolverParameters();
        if (_blocks.Count > 0 && _solver.IsMip())
            parameters.SetDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0);
        var status = _solver.Solve(parameters);
        if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
            return (false, 0, 1);
        var value = _objective.Value();
        if (!_solver.IsMip())
            return (true, value, status == Solver.ResultStatus.OPTIMAL ? 0 : 1);
        var bound = _objective.BestBound();
        var gap = status == Solver.ResultStatus.OPTIMAL && bound - value <= 1e-6 ? 0
            : Math.Max(0, (bound - value) / Math.Max(1e-9, Math.Abs(value)));
        return (true, value, gap);
    }

    // Solves the linear program, adding what pays, until nothing does: then its optimum is the whole
    // program's. The limit is each solve's; MostRounds bounds how many.
    public (bool Solved, double Objective, double Gap) SolveAddingTakes(TimeSpan limit)
    {
        for (var round = 0; ; round++)
        {
            var solved = Solve(limit);
            if (!solved.Solved || solved.Gap > 0)
                return solved;
            // The best paying take of each bid-slot (one at a time keeps the program small), all priced
            // against this solution's duals before any is added.
            var paying = new List<int>();
            foreach (var (from, to) in _columns.BidSlots())
            {
                var (best, most) = (-1, 0.0);
                for (var c = from; c < to; c++)
                    if (_takes[c] is null && ReducedCost(c) is var d && d > most
                        && d > Pays * Math.Max(1, Math.Abs((double)_columns.Option(c).Value)))
                        (best, most) = (c, d);
                if (best >= 0)
                    paying.Add(best);
            }
            foreach (var c in paying)
                Add(c);
            var added = paying.Count;
            if (added == 0)
                return solved;
            if (round == MostRounds)
                return (true, solved.Objective, 1);
        }
    }

    // Every take's and block's (in the order of the placements given) reduced cost at the current duals.
    public (double[] Takes, double[] Blocks) ReducedCosts() =>
        (Enumerable.Range(0, _columns.Count).Select(ReducedCost).ToArray(), _blocks.Select(b => b.Chosen.ReducedCost()).ToArray());

    public IEnumerable<int> GeneratedTakes() => Enumerable.Range(0, _takes.Length).Where(c => _takes[c] is not null);

    public IEnumerable<(Placement Placement, double Value)> BlockValues() =>
        _blocks.Select(b => (b.Placement, b.Chosen.SolutionValue()));

    // Fixes one block, by its place in the placements given, in or out.
    public void FixBlock(int block, bool chosen) => _blocks[block].Chosen.SetBounds(chosen ? 1 : 0, chosen ? 1 : 0);

    public void FixBlocks(IReadOnlyCollection<Placement> chosen)
    {
        var set = chosen.ToHashSet();
        foreach (var (placement, variable) in _blocks)
            variable.SetBounds(set.Contains(placement) ? 1 : 0, set.Contains(placement) ? 1 : 0);
    }

    public void Hint(IReadOnlyCollection<Placement> chosen)
    {
        var set = chosen.ToHashSet();
        _solver.SetHint(_blocks.Select(b => b.Chosen).ToArray(), _blocks.Select(b => set.Contains(b.Placement) ? 1.0 : 0.0).ToArray());
    }

    public IEnumerable<Placement> ChosenBlocks() =>
        _blocks.Where(b => b.Chosen.SolutionValue() > 0.5).Select(b => b.Placement);

    public IEnumerable<(DivisibleDemand Demand, int Product, int Slot, int Units)> Takes()
    {
        for (var c = 0; c < _takes.Length; c++)
            if (_takes[c] is { } x && (int)Math.Floor(x.SolutionValue() + 1e-6) is var units && units > 0)
                yield return (_columns.Divisible[_columns[c].Demand], _columns[c].Product, _columns[c].Slot, units);
    }

    public IEnumerable<((int Product, int Slot) At, double Dual)> PoolDuals() =>
        _pool.Select(p => (p.Key, p.Value.DualValue()));

    public void Dispose() => _solver.Dispose();
}
