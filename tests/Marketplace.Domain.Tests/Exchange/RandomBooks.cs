using Marketplace.Broker.Exchange.Clearing;

namespace Marketplace.Domain.Tests.Exchange;

// Small random books a search of every allocation can still clear: a few asks over three slots, a few
// divisible and all-or-nothing bids each allowed a random subset of the asks.
static class RandomBooks
{
    static readonly string[] Regions = ["guizhou", "gansu", "shanghai"];

    // Models for books that often fall into independent parts, and grow fractional blocks.
    public static readonly string[] TwoModels = ["H20", "Ascend-910B"];

    // models: the accelerator models offers are drawn from. One (the default) keeps books small enough for a
    // search of every allocation; several make larger books that often fall into independent parts.
    public static AuctionBook Book(Random random, params string[] models)
    {
        const int slots = 3;
        var several = models.Length > 1;
        var asks = Enumerable.Range(0, several ? random.Next(2, 8) : random.Next(1, 4)).Select(i =>
        {
            var region = Regions[random.Next(Regions.Length)];
            var model = models.Length == 0 ? "H20" : models[random.Next(models.Length)];
            return new Ask($"o{i}", $"dc{i}", region, region, model, 2 + random.Next(9) * 0.5m,
                Enumerable.Range(0, slots).Select(_ => random.Next(4)).ToArray());
        }).ToList();
        var extra = Regions.ToDictionary(r => r, _ => random.Next(3) * 0.5m);
        var bids = new List<Bid>();
        var (divisible, allOrNothing) = several ? (random.Next(5), random.Next(4)) : (random.Next(3), random.Next(3));
        for (var i = 0; i < divisible + allOrNothing; i++)
        {
            var first = random.Next(slots);
            var end = random.Next(first + 1, slots + 1);
            var units = random.Next(1, 3);
            var limit = 3 + random.Next(13) * 0.5m;
            // With several models, a third of the bids want one model only and a third one model in one region.
            var kind = several ? random.Next(3) : 0;
            var (model, region) = several ? (models[random.Next(models.Length)], Regions[random.Next(Regions.Length)]) : ("", "");
            var sites = asks.Where(a => (kind == 0 || a.Model == model && (kind == 1 || a.RegionId == region)) & random.Next(4) != 0).ToList();
            var transfer = random.Next(3) == 0 ? random.Next(1, 5) * 1m : 0;
            // Data that moves arrives at a region's sites 0-2 slots into the window.
            var ready = Regions.ToDictionary(r => r, _ => transfer > 0 ? first + random.Next(3) : 0);
            if (i < divisible)
                bids.Add(new Bid($"d{i}", $"t{i}", units, random.Next(1, 5), limit, false, first, end,
                    sites.Select(a => new BidSite(a.OfferId, 1, extra[a.RegionId], transfer, 0, ready[a.RegionId])).ToList()));
            else
            {
                var hours = random.Next(1, end - first + 1);
                bids.Add(new Bid($"b{i}", $"t{i}", units, units * hours, limit, true, first, end,
                    sites.Select(a => new BidSite(a.OfferId, 1, extra[a.RegionId], transfer, hours, ready[a.RegionId])).ToList()));
            }
        }
        return new AuctionBook(DateTimeOffset.UnixEpoch, slots, asks, bids);
    }
}
