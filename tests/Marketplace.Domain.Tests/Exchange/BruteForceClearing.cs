using Marketplace.Broker.Exchange.Clearing;

namespace Marketplace.Domain.Tests.Exchange;

// The best surplus of a small book by trying everything: every choice of one block (or none) per
// all-or-nothing bid, and for the divisible bids every whole-accelerator take of every product in every
// slot, slot by slot over what each bid still wants (a dynamic programme on the quantities left).
// Knows nothing of the solver; shares only the definitions of value (limit less moving and latency).
static class BruteForceClearing
{
    public static decimal BestSurplus(AuctionBook book)
    {
        var asks = book.Asks.ToDictionary(a => a.OfferId);
        var blocksOf = book.Bids.Where(b => b.AllOrNothing).Select(b => BlocksOf(b, asks, book.Slots).Prepend(null).ToList()).ToList();
        var divisible = book.Bids.Where(b => !b.AllOrNothing).ToList();
        var best = decimal.MinValue;
        foreach (var choice in Combinations(blocksOf, 0))
        {
            var free = book.Asks.ToDictionary(a => a.OfferId, a => a.Free.ToArray());
            var surplus = 0m;
            var fits = true;
            foreach (var block in choice.OfType<Block>())
            {
                for (var t = block.Start; t < block.Start + block.Hours; t++)
                    fits &= (free[block.OfferId][t] -= block.Units) >= 0;
                surplus += block.Surplus;
            }
            if (fits)
                best = Math.Max(best, surplus + Divisible(book, divisible, free));
        }
        return best;
    }

    sealed record Block(string OfferId, int Start, int Hours, int Units, decimal Surplus);

    static IEnumerable<Block?> BlocksOf(Bid bid, Dictionary<string, Ask> asks, int slots)
    {
        foreach (var site in bid.Sites)
        {
            var ask = asks[site.OfferId];
            var value = (bid.Limit * bid.Quantity - site.TransferOnce) - site.ExtraPerHour * bid.Accelerators * site.BlockHours;
            for (var start = Math.Max(bid.FirstSlot, site.ReadySlot); start + site.BlockHours <= Math.Min(bid.EndSlot, slots); start++)
                yield return new Block(ask.OfferId, start, site.BlockHours, bid.Accelerators,
                    value - ask.CostPerHour * bid.Accelerators * site.BlockHours);
        }
    }

    static IEnumerable<List<Block?>> Combinations(List<List<Block?>> choices, int from)
    {
        if (from == choices.Count)
        {
            yield return [];
            yield break;
        }
        foreach (var rest in Combinations(choices, from + 1))
            foreach (var block in choices[from])
                yield return rest.Prepend(block).ToList();
    }

    static decimal Divisible(AuctionBook book, List<Bid> bids, Dictionary<string, int[]> free)
    {
        var products = book.Asks.Select(a => a.Product).Distinct().ToList();
        // value[t][b][k]: the bid's best value per accelerator-hour in product k in slot t; null where it may
        // not go, or not yet (its data still on the way).
        var value = Enumerable.Range(0, book.Slots).Select(t => bids.Select(b => products.Select(k => b.Sites
            .Where(s => book.Asks.First(a => a.OfferId == s.OfferId).Product == k && t >= s.ReadySlot)
            .Select(s => (decimal?)(b.Limit * s.UnitsPerHour - s.ExtraPerHour - s.TransferOnce * s.UnitsPerHour / b.Quantity))
            .Max()).ToArray()).ToArray()).ToArray();
        var memo = new Dictionary<(int, string), decimal>();
        return Best(0, bids.Select(b => (int)b.Quantity).ToArray());

        decimal Best(int t, int[] left)
        {
            if (t == book.Slots)
                return 0;
            var key = (t, string.Join(",", left));
            if (memo.TryGetValue(key, out var known))
                return known;
            var best = decimal.MinValue;
            foreach (var takes in Takes(t, left, 0))
            {
                var gain = 0m;
                var ok = true;
                for (var k = 0; k < products.Count && ok; k++)
                {
                    var units = 0;
                    for (var b = 0; b < bids.Count; b++)
                    {
                        units += takes[b][k];
                        gain += takes[b][k] * (value[t][b][k] ?? 0);
                    }
                    // The cheapest asks of the product with what the blocks left.
                    foreach (var ask in book.Asks.Where(a => a.Product == products[k]).OrderBy(a => a.CostPerHour))
                    {
                        var used = Math.Min(units, free[ask.OfferId][t]);
                        units -= used;
                        gain -= used * ask.CostPerHour;
                    }
                    ok = units == 0;
                }
                if (ok)
                    best = Math.Max(best, gain + Best(t + 1, left.Select((q, b) => q - takes[b].Sum()).ToArray()));
            }
            return memo[key] = best;
        }

        // Every way the bids from index b on can take whole accelerators in slot t.
        IEnumerable<List<int[]>> Takes(int t, int[] left, int b)
        {
            if (b == bids.Count)
            {
                yield return [];
                yield break;
            }
            var bid = bids[b];
            var most = t >= bid.FirstSlot && t < bid.EndSlot ? Math.Min(bid.Accelerators, left[b]) : 0;
            foreach (var own in Splits(products.Count, most, value[t][b]))
                foreach (var rest in Takes(t, left, b + 1))
                    yield return rest.Prepend(own).ToList();
        }
    }

    // Every vector of whole numbers over the products the bid may use, summing to at most `most`.
    static IEnumerable<int[]> Splits(int products, int most, decimal?[] value)
    {
        if (products == 0)
        {
            yield return [];
            yield break;
        }
        for (var here = 0; here <= (value[products - 1] is null ? 0 : most); here++)
            foreach (var rest in Splits(products - 1, most - here, value))
                yield return rest.Append(here).ToArray();
    }
}
