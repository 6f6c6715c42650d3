namespace Marketplace.Broker.Exchange.Clearing;

// What a divisible bid is worth in each product it may use, per accelerator-hour: its limit in the
// product's units, less latency, less moving the data spread over the accelerator-hours it asks for.
// Products that ask more than it is worth everywhere are left out: they could never trade. ReadySlot: the
// first slot it may take the product in, its window's first or when its data arrives there.
public sealed record DivisibleDemand(Bid Bid,
    IReadOnlyList<(Product Product, decimal Value, decimal UnitsPerHour, decimal TransferPerHour, int ReadySlot)> Products)
{
    public static decimal ValueAt(Bid bid, BidSite site) =>
        bid.Limit * site.UnitsPerHour - site.ExtraPerHour - TransferPerHour(bid, site);

    static decimal TransferPerHour(Bid bid, BidSite site) => site.TransferOnce * site.UnitsPerHour / bid.Quantity;

    public static DivisibleDemand Of(Bid bid, IReadOnlyDictionary<string, Ask> asks, IReadOnlyDictionary<Product, decimal> cheapestAsk)
    {
        var best = new Dictionary<Product, (decimal Value, decimal UnitsPerHour, decimal TransferPerHour, int ReadySlot)>();
        foreach (var site in bid.Sites)
        {
            if (!asks.TryGetValue(site.OfferId, out var ask) || site.UnitsPerHour <= 0)
                continue;
            var transferPerHour = TransferPerHour(bid, site);
            var value = ValueAt(bid, site);
            if (value <= cheapestAsk[ask.Product])
                continue;
            if (!best.TryGetValue(ask.Product, out var known) || value > known.Value)
                best[ask.Product] = (value, site.UnitsPerHour, transferPerHour, Math.Max(bid.FirstSlot, site.ReadySlot));
        }
        return new DivisibleDemand(bid, best.OrderBy(p => p.Key.RegionId, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Model, StringComparer.Ordinal)
            .Select(p => (p.Key, p.Value.Value, p.Value.UnitsPerHour, p.Value.TransferPerHour, p.Value.ReadySlot)).ToList());
    }
}
