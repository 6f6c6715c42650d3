namespace Marketplace.Reference;

// The facts of the market every service agrees on, loaded once at start-up from seeds/.
public sealed class MarketReference
{
    public required IReadOnlyDictionary<string, Hub> Hubs { get; init; }
    public required IReadOnlyDictionary<string, Region> Regions { get; init; }
    public required IReadOnlyDictionary<string, Accelerator> Accelerators { get; init; }
    public required LatencyTable Latencies { get; init; }
    public required TransferTariff Transfer { get; init; }

    public Hub? HubOf(Region region) => region.HubId is null ? null : Hubs.GetValueOrDefault(region.HubId);

    public static MarketReference Load(string? directory = null)
    {
        var dir = directory ?? SeedJson.DefaultDirectory;
        var hubs = SeedJson.Read<HubsFile>(dir, "hubs.json").Hubs
            .ToDictionary(h => h.Id, h => new Hub(h.Id, h.Name, h.NameZh, h.Side));
        var regions = SeedJson.Read<RegionsFile>(dir, "regions.json").Regions
            .ToDictionary(r => r.Id, r => new Region(r.Id, r.Name, r.NameZh, r.Hub, r.City,
                r.Latitude, r.Longitude, r.ElectricityYuanPerKwh));
        var accelerators = SeedJson.Read<AcceleratorsFile>(dir, "accelerators.json").Accelerators
            .ToDictionary(a => a.Model, a => new Accelerator(a.Model, a.DisplayName, a.Vendor, a.Origin,
                a.ExportControl, a.Fp16DenseTflops, a.MemoryGb, a.BoardPowerW, a.SoftwareStack, a.EfficiencyFactor));
        var latencies = SeedJson.Read<LatenciesFile>(dir, "latencies.json");
        var transfer = SeedJson.Read<TransferPricesFile>(dir, "transfer-prices.json");

        return new MarketReference
        {
            Hubs = hubs,
            Regions = regions,
            Accelerators = accelerators,
            Latencies = new LatencyTable(latencies.IntraRegionMs, latencies.Pairs.ToDictionary(
                p => string.CompareOrdinal(p.From, p.To) < 0 ? (p.From, p.To) : (p.To, p.From), p => p.RttMs)),
            Transfer = new TransferTariff(transfer.Currency, transfer.SameRegionYuanPerGb, transfer.SameHubYuanPerGb,
                transfer.CrossHubYuanPerGb, transfer.EastWestCorridorYuanPerGb),
        };
    }
}
