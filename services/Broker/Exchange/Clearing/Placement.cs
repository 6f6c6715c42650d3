namespace Marketplace.Broker.Exchange.Clearing;

// A place an all-or-nothing bid could take: all its accelerators at one offer for the block's hours from Start.
public sealed record Placement(Bid Bid, BidSite Site, Ask Ask, int Start, decimal ValuePerHour)
{
    public int Hours => Site.BlockHours;
    public int End => Start + Hours;
    public decimal OwnSurplus => (ValuePerHour - Ask.CostPerHour) * Bid.Accelerators * Hours;

    // The bid's whole value, less moving the data and latency, spread over the block's accelerator-hours.
    public static decimal ValueAt(Bid bid, BidSite site) =>
        (bid.Limit * bid.Quantity - site.TransferOnce) / (bid.Accelerators * site.BlockHours) - site.ExtraPerHour;

    // Every block the bid could take on the capacity free before the auction, best own surplus first and
    // at most `most` of them; none that would be worth less than its ask, none before its data arrives.
    public static List<Placement> For(Bid bid, IReadOnlyDictionary<string, Ask> asks, int slots, int most)
    {
        var found = new List<Placement>();
        foreach (var site in bid.Sites)
        {
            if (!asks.TryGetValue(site.OfferId, out var ask) || site.BlockHours <= 0)
                continue;
            var value = ValueAt(bid, site);
            if (value <= ask.CostPerHour)
                continue;
            for (var start = Math.Max(bid.FirstSlot, site.ReadySlot); start + site.BlockHours <= Math.Min(bid.EndSlot, slots); start++)
                if (Fits(ask, start, site.BlockHours, bid.Accelerators))
                    found.Add(new Placement(bid, site, ask, start, value));
        }
        return found.OrderByDescending(p => p.OwnSurplus).ThenBy(p => p.Start)
            .ThenBy(p => p.Ask.OfferId, StringComparer.Ordinal).Take(most).ToList();
    }

    static bool Fits(Ask ask, int start, int hours, int units)
    {
        for (var t = start; t < start + hours; t++)
            if (ask.Free[t] < units)
                return false;
        return true;
    }
}
