using Google.OrTools.Graph;

namespace Marketplace.Broker.Exchange.Clearing;

// The divisible takes with the blocks fixed, as a min-cost flow rather than a linear program: where every
// take counts whole accelerator-hours (TakeColumns.Whole) the pricing program is a network, source -> bid
// (its quantity) -> bid-slot (accelerators at once) -> product-slot pool (the take's value) -> sink through
// each ask (its cost, what blocks leave free), and back from the sink to the source (a circulation). Its
// optimum is the linear program's, in whole accelerators, found in a fraction of GLOP's time; the prices are
// its node potentials (FlowPotentials), which support it as the pool duals do, and they bound what any
// choice of blocks could clear (Bound).
sealed class FlowProgram : IPricingProgram
{
    // Costs are whole millionths of a yuan: MinCostFlow takes integers. Rounding moves a take's value by at
    // most half a millionth, and what the flow is worth is summed from the exact values.
    const decimal Scale = 1_000_000m;
    const int Source = 0, Sink = 1;

    readonly MinCostFlow _flow = new();
    readonly List<FlowArc> _arcs = [];
    readonly AuctionBook _book;
    readonly TakeColumns _columns;
    readonly int[] _takeArc;                                    // by column; -1 for a take that could not gain
    readonly List<(int Ask, int Slot, int Arc)> _supply = [];
    readonly Dictionary<(int Product, int Slot), int> _poolNode = [];
    readonly Dictionary<string, int> _askIndex;
    long[] _flows = [];
    long[] _potential = [];
    bool _solved;

    FlowProgram(AuctionBook book, TakeColumns columns, IReadOnlyList<Product> products)
    {
        (_book, _columns, Products) = (book, columns, products);
        _takeArc = Enumerable.Repeat(-1, columns.Count).ToArray();
        _askIndex = book.Asks.Select((a, i) => (a.OfferId, i)).ToDictionary(x => x.OfferId, x => x.i);
    }

    public IReadOnlyList<Product> Products { get; }
    public int Nodes { get; private set; }
    public int Arcs => _arcs.Count;

    // Only for columns whose takes are all whole accelerator-hours (TakeColumns.Whole).
    public static FlowProgram Build(AuctionBook book, TakeColumns columns, IReadOnlyList<Product> products)
    {
        if (!columns.Whole)
            throw new ArgumentException("a min-cost flow prices whole accelerator-hour takes only", nameof(columns));
        var program = new FlowProgram(book, columns, products);
        program.BuildNetwork();
        return program;
    }

    void BuildNetwork()
    {
        var productIndex = Products.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var next = 2;
        var demandNode = new int[_columns.Divisible.Count];
        for (var d = 0; d < demandNode.Length; d++)
        {
            demandNode[d] = next++;
            var bid = _columns.Divisible[d].Bid;
            Arc(Source, demandNode[d], (long)bid.Quantity, 0);
        }
        for (var c = 0; c < _columns.Count; c++)
            if (!_poolNode.ContainsKey((_columns[c].Product, _columns[c].Slot)))
                _poolNode[(_columns[c].Product, _columns[c].Slot)] = next++;

        // A take worth no more than every ask free in its pool and slot could never gain: what it took would
        // leave through an ask that costs at least as much, so the optimum is the same without it, with any
        // blocks.
        var cheapestFree = new Dictionary<(int Product, int Slot), decimal>();
        foreach (var ask in _book.Asks)
            for (var t = 0; t < _book.Slots; t++)
                if (ask.Free[t] > 0 && (productIndex[ask.Product], t) is var at)
                    cheapestFree[at] = Math.Min(cheapestFree.GetValueOrDefault(at, decimal.MaxValue), ask.CostPerHour);
        bool Gains(int c) => cheapestFree.TryGetValue((_columns[c].Product, _columns[c].Slot), out var least)
                             && _columns.Option(c).Value > least;

        // A bid-slot with one take needs no node of its own: the take's capacity is its accelerators at once.
        foreach (var (all, end) in _columns.BidSlots())
        {
            var gaining = Enumerable.Range(all, end - all).Where(Gains).ToList();
            if (gaining.Count == 0)
                continue;
            var take = _columns[gaining[0]];
            var accelerators = _columns.Divisible[take.Demand].Bid.Accelerators;
            var tail = demandNode[take.Demand];
            if (gaining.Count > 1)
            {
                Arc(tail, next, accelerators, 0);
                tail = next++;
            }
            foreach (var c in gaining)
                _takeArc[c] = Arc(tail, _poolNode[(_columns[c].Product, _columns[c].Slot)],
                    accelerators, -Cost(_columns.Option(c).Value));
        }

        long offered = 0;
        for (var a = 0; a < _book.Asks.Count; a++)
        {
            var ask = _book.Asks[a];
            var k = productIndex[ask.Product];
            for (var t = 0; t < _book.Slots; t++)
                if (ask.Free[t] > 0 && _poolNode.TryGetValue((k, t), out var pool))
                {
                    _supply.Add((a, t, Arc(pool, Sink, ask.Free[t], Cost(ask.CostPerHour))));
                    offered += ask.Free[t];
                }
        }
        // A circulation: what trades returns from the sink to the source at no cost, so the flow is the most
        // worth, of any amount, and the source's potential is never above the sink's (a bid with room is
        // priced against the pool, not the source).
        Arc(Sink, Source, offered + 1, 0);
        Nodes = next;
    }

    int Arc(int tail, int head, long capacity, long cost)
    {
        _arcs.Add(new FlowArc(tail, head, capacity, cost));
        return _flow.AddArcWithCapacityAndUnitCost(tail, head, capacity, cost);
    }

    static long Cost(decimal money) => (long)Math.Round(money * Scale, MidpointRounding.AwayFromZero);

    // The asks keep what these blocks leave free.
    public void FixBlocks(IEnumerable<Placement> blocks)
    {
        var taken = new Dictionary<(int Ask, int Slot), int>();
        foreach (var block in blocks)
            for (var t = block.Start; t < block.End; t++)
                taken[(_askIndex[block.Ask.OfferId], t)] = taken.GetValueOrDefault((_askIndex[block.Ask.OfferId], t)) + block.Bid.Accelerators;
        foreach (var (a, t, arc) in _supply)
        {
            var free = Math.Max(0, _book.Asks[a].Free[t] - taken.GetValueOrDefault((a, t)));
            _flow.SetArcCapacity(arc, free);
            _arcs[arc] = _arcs[arc] with { Capacity = free };
        }
    }

    // The flow's worth (value to the bids less the asks' cost, from the exact values), and a gap of 0 when
    // the flow is optimal.
    public (bool Solved, double Objective, double Gap) Solve()
    {
        _solved = _flow.Solve() == MinCostFlow.Status.OPTIMAL;
        if (!_solved)
            return (false, 0, 1);
        _flows = new long[_arcs.Count];
        for (var a = 0; a < _flows.Length; a++)
            _flows[a] = _flow.Flow(a);
        _potential = FlowPotentials.Of(Nodes, _arcs, _flows);
        return (true, (double)Worth(), 0);
    }

    decimal Worth()
    {
        var worth = 0m;
        for (var c = 0; c < _columns.Count; c++)
            if (_takeArc[c] >= 0 && _flows[_takeArc[c]] is var units and > 0)
                worth += units * _columns.Option(c).Value;
        foreach (var (a, _, arc) in _supply)
            worth -= _flows[arc] * _book.Asks[a].CostPerHour;
        return worth;
    }

    // A bound on every clearing of these placements, whole or fractional, from the solved flow's potentials
    // (a Lagrangian bound, the capacity blocks share with the asks priced at the potentials): the network's
    // dual objective on the asks' whole free capacity, plus what each all-or-nothing bid's best placement
    // would gain at those prices. Any clearing is worth no more: the flow around its blocks is worth at most
    // the dual objective less what its blocks' capacity is priced at, and its blocks at most their gain.
    // Rounding the costs to millionths can move a flow's worth by a millionth an accelerator-hour, so that
    // is added too.
    public double Bound(IReadOnlyList<Placement> placements)
    {
        if (!_solved)
            return double.PositiveInfinity;
        var ask = new long[_arcs.Count];   // each ask arc's price above its cost, by arc
        var bound = 0m;
        long offered = 0;
        foreach (var (a, t, arc) in _supply)
        {
            ask[arc] = Math.Max(0, Gain(arc));
            bound += (decimal)_book.Asks[a].Free[t] * ask[arc];
            offered += _book.Asks[a].Free[t];
        }
        var isAsk = _supply.Select(s => s.Arc).ToHashSet();
        for (var arc = 0; arc < _arcs.Count; arc++)
            if (!isAsk.Contains(arc))
                bound += (decimal)_arcs[arc].Capacity * Math.Max(0, Gain(arc));
        var askPrice = _supply.ToDictionary(s => (s.Ask, s.Slot), s => ask[s.Arc]);
        var best = new Dictionary<string, decimal>();
        foreach (var placement in placements)
        {
            var a = _askIndex[placement.Ask.OfferId];
            long priced = 0;
            for (var t = placement.Start; t < placement.End; t++)
                priced += askPrice.GetValueOrDefault((a, t));
            var gain = placement.OwnSurplus * Scale - (decimal)priced * placement.Bid.Accelerators;
            best[placement.Bid.Id] = Math.Max(best.GetValueOrDefault(placement.Bid.Id), gain);
        }
        return (double)((bound + best.Values.Sum() + offered) / Scale);
    }

    // How far each offer-slot's price is above its ask, where the flow reaches it.
    public IReadOnlyDictionary<(string OfferId, int Slot), decimal> AboveAsks() =>
        _solved ? _supply.ToDictionary(s => (_book.Asks[s.Ask].OfferId, s.Slot), s => Math.Max(0, Gain(s.Arc)) / Scale) : new();

    // What the potentials say one more unit of an arc's capacity is worth (its reduced cost, negated).
    long Gain(int arc) => _potential[_arcs[arc].Head] - _potential[_arcs[arc].Tail] - _arcs[arc].Cost;

    public IEnumerable<(DivisibleDemand Demand, int Product, int Slot, int Units)> Takes()
    {
        if (!_solved)
            yield break;
        for (var c = 0; c < _columns.Count; c++)
            if (_takeArc[c] >= 0 && _flows[_takeArc[c]] is var units and > 0)
                yield return (_columns.Divisible[_columns[c].Demand], _columns[c].Product, _columns[c].Slot, (int)units);
    }

    // A pool's price is what one more accelerator-hour delivered to the sink from it would save: the
    // difference of the sink's potential and its own.
    public IEnumerable<((int Product, int Slot) At, double Dual)> PoolDuals() =>
        _solved ? _poolNode.Select(p => (p.Key, (double)((_potential[Sink] - _potential[p.Value]) / Scale))) : [];

    public void Dispose() => _flow.Dispose();
}
