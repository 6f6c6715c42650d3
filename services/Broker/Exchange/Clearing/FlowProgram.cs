using Google.OrTools.Graph;

namespace Marketplace.Broker.Exchange.Clearing;

// The divisible takes with the blocks fixed, as a min-cost flow rather than a linear program: where every
// take counts whole accelerator-hours (TakeColumns.Whole) the pricing program is a network, source -> bid
// (its quantity) -> bid-slot (accelerators at once) -> product-slot pool (the take's value) -> sink through
// each ask (its cost, what blocks leave free), with a source -> sink arc carrying what does not trade. Its
// optimum is the linear program's, in whole accelerators, found in a fraction of GLOP's time; the prices are
// its node potentials (FlowPotentials), which support it as the pool duals do. Blocks only change the asks'
// capacities, so one network serves every round.
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
    readonly int[] _takeArc;                                    // by column
    readonly List<(int Ask, int Slot, int Arc)> _supply = [];
    readonly Dictionary<(int Product, int Slot), int> _poolNode = [];
    readonly Dictionary<string, int> _askIndex;
    long[] _flows = [];
    long[] _potential = [];
    bool _solved;

    FlowProgram(AuctionBook book, TakeColumns columns, IReadOnlyList<Product> products)
    {
        (_book, _columns, Products) = (book, columns, products);
        _takeArc = new int[columns.Count];
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

        // A bid-slot with one take needs no node of its own: the take's capacity is its accelerators at once.
        foreach (var (from, to) in _columns.BidSlots())
        {
            if (to == from)
                continue;
            var take = _columns[from];
            var accelerators = _columns.Divisible[take.Demand].Bid.Accelerators;
            var tail = demandNode[take.Demand];
            if (to - from > 1)
            {
                Arc(tail, next, accelerators, 0);
                tail = next++;
            }
            for (var c = from; c < to; c++)
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
        // One unit more than could ever trade always goes straight to the sink, so the source and the sink
        // share a potential and a bid with room is priced against the pool, not the source.
        Arc(Source, Sink, offered + 1, 0);
        _flow.SetNodeSupply(Source, offered + 1);
        _flow.SetNodeSupply(Sink, -(offered + 1));
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
            if (_flows[_takeArc[c]] is var units and > 0)
                worth += units * _columns.Option(c).Value;
        foreach (var (a, _, arc) in _supply)
            worth -= _flows[arc] * _book.Asks[a].CostPerHour;
        return worth;
    }

    public IEnumerable<(DivisibleDemand Demand, int Product, int Slot, int Units)> Takes()
    {
        if (!_solved)
            yield break;
        for (var c = 0; c < _columns.Count; c++)
            if (_flows[_takeArc[c]] is var units and > 0)
                yield return (_columns.Divisible[_columns[c].Demand], _columns[c].Product, _columns[c].Slot, (int)units);
    }

    // A pool's price is what one more accelerator-hour delivered to the sink from it would save: the
    // difference of the sink's potential and its own.
    public IEnumerable<((int Product, int Slot) At, double Dual)> PoolDuals() =>
        _solved ? _poolNode.Select(p => (p.Key, (double)((_potential[Sink] - _potential[p.Value]) / Scale))) : [];

    public void Dispose() => _flow.Dispose();
}
