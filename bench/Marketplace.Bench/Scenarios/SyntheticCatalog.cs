using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;

namespace Marketplace.Bench.Scenarios;

// A market far larger than seeds/ (20 sites, 48 offers), made the way seeds/README.md prices it: sites spread
// over every seeded region and hub, offers of every seeded model at list price x hub tier x interruptible
// discount, with a little spread. Seeded randomness: every run quotes against the same catalog.
public sealed class SyntheticCatalog(MarketReference reference, int seed = 42)
{
    const string Currency = "CNY";

    // seeds/README.md list prices, east side, CNY per accelerator-hour.
    public static readonly IReadOnlyDictionary<string, decimal> ListPrice = new Dictionary<string, decimal>
    {
        ["H100-SXM"] = 16.00m, ["H800-SXM"] = 15.00m, ["A100-SXM-80GB"] = 9.00m, ["Ascend-910B"] = 9.00m,
        ["H20"] = 6.00m, ["MLU370-X8"] = 3.00m, ["DCU-Z100"] = 2.20m,
    };

    // Domestic parts and the China edition dominate; export-controlled stock is rare, as in seeds/.
    static readonly (string Model, int Weight)[] Mix =
    [
        ("Ascend-910B", 30), ("H20", 25), ("MLU370-X8", 15), ("DCU-Z100", 10),
        ("A100-SXM-80GB", 8), ("H800-SXM", 6), ("H100-SXM", 6),
    ];

    static readonly int[] Counts = [8, 16, 32, 64, 128, 256, 512, 1024]; // 8-card servers; some sites are small
    static readonly int[] Days = [30, 60, 90];

    readonly Random _random = new(seed);

    public IReadOnlyList<DataCenter> DataCenters(int count)
    {
        var regions = reference.Regions.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        return Enumerable.Range(0, count).Select(i =>
        {
            var region = regions[i % regions.Count];
            return new DataCenter
            {
                Id = $"bench-dc-{i:00}-{region.Id}",
                ProviderId = $"bench-provider-{i % 7}",
                Name = $"Bench site {i} in {region.Name}",
                RegionId = region.Id,
                City = region.City,
                HubId = region.HubId ?? "",
                Latitude = region.Latitude + _random.NextDouble() * 0.2 - 0.1,
                Longitude = region.Longitude + _random.NextDouble() * 0.2 - 0.1,
                Pue = Math.Round(1.1 + _random.NextDouble() * 0.4, 2),
                GreenPowerShare = Math.Round(_random.NextDouble() * 0.7, 2),
                ElectricityPricePerKwh = Money.FromDecimal(region.ElectricityYuanPerKwh, Currency),
                TransferInPricePerGb = Money.FromDecimal(_random.Next(0, 6) / 100m, Currency),
                TransferOutPricePerGb = Money.FromDecimal(_random.Next(20, 51) / 100m, Currency),
            };
        }).ToList();
    }

    // `perSite` offers at each site, windows opening at `start` (a whole hour).
    public IReadOnlyList<Offer> Offers(IReadOnlyList<DataCenter> sites, int perSite, DateTimeOffset start) =>
        sites.SelectMany(site => Enumerable.Range(0, perSite).Select(k => Offer(site, k, start))).ToList();

    Offer Offer(DataCenter site, int k, DateTimeOffset start)
    {
        var model = PickModel();
        var interruptible = _random.NextDouble() < 0.2;
        var spread = 0.9m + _random.Next(0, 21) / 100m;
        var price = Math.Round(ListPrice[model] * Tier(site) * (interruptible ? 0.60m : 1m) * spread, 2);
        return new Offer
        {
            Id = $"{site.Id}-{model.ToLowerInvariant()}-{k:00}",
            DatacenterId = site.Id,
            ProviderId = site.ProviderId,
            AcceleratorModel = model,
            Count = Counts[_random.Next(Counts.Length)],
            PricePerHour = Money.FromDecimal(price, Currency),
            Availability = new TimeWindow
            {
                Start = Timestamp.FromDateTimeOffset(start),
                End = Timestamp.FromDateTimeOffset(start.AddDays(Days[_random.Next(Days.Length)])),
            },
            MinLeaseHours = _random.Next(1, 25),
            InterconnectDomain = $"{site.Id}/pod-{(char)('a' + k % 3)}",
            Interruptible = interruptible,
        };
    }

    // Hub tier from seeds/README.md: east-side hub 1.00, no hub 0.85, west-side hub 0.70.
    decimal Tier(DataCenter site) =>
        site.HubId.Length == 0 ? 0.85m : reference.Hubs[site.HubId].Side == HubSide.East ? 1.00m : 0.70m;

    // A model drawn from the seeded mix.
    public string PickModel()
    {
        var roll = _random.Next(Mix.Sum(m => m.Weight));
        foreach (var (model, weight) in Mix)
            if ((roll -= weight) < 0)
                return model;
        throw new InvalidOperationException("unreachable");
    }

    public static DateTimeOffset NextWholeHour(DateTimeOffset now) =>
        new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
}
