namespace Marketplace.Broker.Exchange.Clearing;

// Turns a solved pricing program into fills at prices: merit-order dispatch of each pool's asks to the
// bids that took from it, each pool's dual as its price (to a ten-thousandth of a yuan, kept between the
// dearest ask it dispatched and the lowest value it filled, so rounding never breaks either promise),
// and the blocks at their hours' prices.
sealed class Settlement
{
    readonly List<Fill> _divisible = [];
    readonly List<(Placement Placement, List<Fill> Fills)> _blocks = [];
    readonly Dictionary<(int Product, int Slot), decimal> _prices = [];
    readonly Dictionary<(int Product, int Slot), int> _volume = [];
    readonly IReadOnlyList<Product> _products;

    Settlement(IReadOnlyList<Product> products) => _products = products;

    public static Settlement Of(AuctionBook book, IPricingProgram pricing, IReadOnlyList<Placement> blocks, bool priced)
    {
        var settlement = new Settlement(pricing.Products);
        var productIndex = pricing.Products.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var left = book.Asks.ToDictionary(a => a.OfferId, a => a.Free.ToArray());
        foreach (var block in blocks)
            for (var t = block.Start; t < block.End; t++)
                left[block.Ask.OfferId][t] -= block.Bid.Accelerators;

        if (priced)
            settlement.Dispatch(book, pricing, productIndex, left);
        foreach (var block in blocks)
        {
            var k = productIndex[block.Ask.Product];
            var fills = new List<Fill>();
            for (var t = block.Start; t < block.End; t++)
            {
                var price = Math.Max(settlement._prices.GetValueOrDefault((k, t), block.Ask.CostPerHour), block.Ask.CostPerHour);
                fills.Add(new Fill(block.Bid.Id, block.Ask.OfferId, t, block.Bid.Accelerators, price, block.ValuePerHour,
                    block.Ask.CostPerHour, block.Site.TransferOnce / block.Hours));
                settlement._volume[(k, t)] = settlement._volume.GetValueOrDefault((k, t)) + block.Bid.Accelerators;
            }
            settlement._blocks.Add((block, fills));
        }
        return settlement;
    }

    void Dispatch(AuctionBook book, IPricingProgram pricing, Dictionary<Product, int> productIndex, Dictionary<string, int[]> left)
    {
        var merit = book.Asks.GroupBy(a => productIndex[a.Product])
            .ToDictionary(g => g.Key, g => g.OrderBy(a => a.CostPerHour).ThenBy(a => a.OfferId, StringComparer.Ordinal).ToList());
        var duals = pricing.PoolDuals().ToDictionary(d => d.At, d => d.Dual);
        foreach (var pool in pricing.Takes().GroupBy(x => (x.Product, x.Slot)))
        {
            var (k, t) = pool.Key;
            var fills = new List<Fill>();
            var asks = merit[k];
            var next = 0;
            decimal dearest = 0, lowestValue = decimal.MaxValue;
            foreach (var take in pool.OrderBy(x => x.Demand.Bid.Id, StringComparer.Ordinal))
            {
                var (_, value, _, transferPerHour, _) = take.Demand.Products.First(p => productIndex[p.Product] == k);
                var wanted = take.Units;
                while (wanted > 0 && next < asks.Count)
                {
                    var free = left[asks[next].OfferId];
                    if (free[t] <= 0) { next++; continue; }
                    var units = Math.Min(wanted, free[t]);
                    free[t] -= units;
                    wanted -= units;
                    dearest = Math.Max(dearest, asks[next].CostPerHour);
                    lowestValue = Math.Min(lowestValue, value);
                    fills.Add(new Fill(take.Demand.Bid.Id, asks[next].OfferId, t, units, 0, value, asks[next].CostPerHour,
                        transferPerHour * units));
                }
            }
            if (fills.Count == 0)
                continue;
            var price = Math.Min(Math.Max(Math.Round((decimal)duals[(k, t)], 4), dearest), lowestValue);
            _prices[(k, t)] = price;
            _volume[(k, t)] = fills.Sum(f => f.Units);
            _divisible.AddRange(fills.Select(f => f with { Price = price }));
        }
    }

    // Blocks whose hours cost more at these prices than the block is worth to its bid.
    public IEnumerable<string> Paradoxical() => _blocks
        .Where(b => b.Fills.Sum(f => f.Price) > b.Placement.ValuePerHour * b.Placement.Hours)
        .Select(b => b.Placement.Bid.Id);

    public AuctionOutcome Outcome(AuctionBook book, IReadOnlyCollection<string> setAside, decimal best, double gap, int rounds)
    {
        var fills = _divisible.Concat(_blocks.Where(b => !setAside.Contains(b.Placement.Bid.Id)).SelectMany(b => b.Fills))
            .OrderBy(f => f.BidId, StringComparer.Ordinal).ThenBy(f => f.Slot).ThenBy(f => f.OfferId, StringComparer.Ordinal)
            .ToList();
        var hubs = book.Asks.GroupBy(a => a.Product).ToDictionary(g => g.Key, g => g.First().HubId);
        var prices = _prices.Select(p => (Product: _products[p.Key.Product], p.Key.Slot, p.Value, Volume: _volume[p.Key]))
            .Select(p => new ProductPrice(p.Product.RegionId, hubs[p.Product], p.Product.Model, p.Slot, p.Value, p.Volume))
            .OrderBy(p => p.Slot).ThenBy(p => p.HubId, StringComparer.Ordinal).ThenBy(p => p.RegionId, StringComparer.Ordinal)
            .ThenBy(p => p.Model, StringComparer.Ordinal).ToList();
        var filled = fills.Select(f => f.BidId).ToHashSet();
        var asks = book.Asks.ToDictionary(a => a.OfferId);
        var unfilled = book.Bids.Where(b => !filled.Contains(b.Id))
            .Select(b => new UnfilledBid(b.Id, WhyUnfilled(b, asks, book.Slots, setAside))).ToList();
        return new AuctionOutcome(fills, prices, unfilled,
            Surplus: fills.Sum(f => (f.Value - f.Cost) * f.Units),
            BestSurplus: best,
            Gap: gap,
            BidderPayments: fills.Sum(f => f.Price * f.Units + f.Transfer),
            ProviderReceipts: fills.Sum(f => f.Price * f.Units),
            Paradoxical: setAside.ToList(),
            Rounds: rounds);
    }

    static string WhyUnfilled(Bid bid, IReadOnlyDictionary<string, Ask> asks, int slots, IReadOnlyCollection<string> setAside)
    {
        if (setAside.Contains(bid.Id))
            return "set aside: at the clearing prices its block would cost more than its limit";
        if (bid.Sites.Count == 0)
            return "no offer it may use asks less than the bid is worth (its limit less latency and moving the data)";
        if (bid.AllOrNothing && Placement.For(bid, asks, slots, 1).Count == 0)
            return $"no site it may use has {bid.Accelerators} accelerators free for the whole block in its window, below its limit";
        return "outbid: the hours and sites it may use cleared above its limit";
    }
}
