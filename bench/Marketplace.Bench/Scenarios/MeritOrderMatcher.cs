using Marketplace.Broker.Exchange.Clearing;

namespace Marketplace.Bench.Scenarios;

// The auction's yardstick: a greedy first-come match on the same book, bids by their limit (highest first)
// each taking its best-margin sites in turn, hour by hour, as much as it wants; a block takes the first
// start where its site has all its accelerators free. No solver, no prices: the surplus a naive matcher
// reaches, and how long plain C# over the book takes on this machine at this moment. Shares with the
// auction only what a site is worth to a bid.
public static class MeritOrderMatcher
{
    public static decimal Surplus(AuctionBook book)
    {
        var asks = book.Asks.ToDictionary(a => a.OfferId);
        var free = book.Asks.ToDictionary(a => a.OfferId, a => a.Free.ToArray());
        var surplus = 0m;
        foreach (var bid in book.Bids.OrderByDescending(b => b.Limit).ThenBy(b => b.Id, StringComparer.Ordinal))
        {
            var sites = bid.Sites.Where(s => asks.ContainsKey(s.OfferId))
                .Select(s => (Site: s, Ask: asks[s.OfferId], Margin: Value(bid, s) - asks[s.OfferId].CostPerHour))
                .Where(s => s.Margin > 0).OrderByDescending(s => s.Margin).ToList();
            surplus += bid.AllOrNothing ? Block(bid, sites, free, book.Slots) : Divisible(bid, sites, free, book.Slots);
        }
        return surplus;
    }

    // What an accelerator-hour there is worth to the bid, by the auction's own definitions.
    static decimal Value(Bid bid, BidSite site) => bid.AllOrNothing ? Placement.ValueAt(bid, site) : DivisibleDemand.ValueAt(bid, site);

    static decimal Block(Bid bid, List<(BidSite Site, Ask Ask, decimal Margin)> sites, Dictionary<string, int[]> free, int slots)
    {
        foreach (var (site, ask, margin) in sites)
        {
            var left = free[ask.OfferId];
            for (var start = Math.Max(bid.FirstSlot, site.ReadySlot); start + site.BlockHours <= Math.Min(bid.EndSlot, slots); start++)
            {
                if (Enumerable.Range(start, site.BlockHours).Any(t => left[t] < bid.Accelerators))
                    continue;
                for (var t = start; t < start + site.BlockHours; t++)
                    left[t] -= bid.Accelerators;
                return margin * bid.Accelerators * site.BlockHours;
            }
        }
        return 0;
    }

    static decimal Divisible(Bid bid, List<(BidSite Site, Ask Ask, decimal Margin)> sites, Dictionary<string, int[]> free, int slots)
    {
        var wanted = bid.Quantity;
        var surplus = 0m;
        for (var t = bid.FirstSlot; t < Math.Min(bid.EndSlot, slots) && wanted > 0; t++)
        {
            var room = bid.Accelerators;
            foreach (var (site, ask, margin) in sites)
            {
                var left = free[ask.OfferId];
                var units = (int)Math.Min(Math.Min(room, left[t]), Math.Floor(wanted / site.UnitsPerHour));
                if (units <= 0 || t < site.ReadySlot)
                    continue;
                left[t] -= units;
                room -= units;
                wanted -= units * site.UnitsPerHour;
                surplus += units * margin;
            }
        }
        return surplus;
    }
}
