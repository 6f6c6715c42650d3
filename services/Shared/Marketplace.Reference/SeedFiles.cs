namespace Marketplace.Reference;

// The shapes of the reference files in seeds/, as written there.
sealed record HubsFile(List<HubsFile.Entry> Hubs)
{
    public sealed record Entry(string Id, string Name, string NameZh, HubSide Side);
}

sealed record RegionsFile(List<RegionsFile.Entry> Regions)
{
    public sealed record Entry(string Id, string Name, string NameZh, string? Hub, string City,
        double Latitude, double Longitude, decimal ElectricityYuanPerKwh);
}

sealed record AcceleratorsFile(List<AcceleratorsFile.Entry> Accelerators)
{
    public sealed record Entry(string Model, string DisplayName, string Vendor, AcceleratorOrigin Origin,
        ExportControlClass ExportControl, double Fp16DenseTflops, int MemoryGb, int BoardPowerW,
        string SoftwareStack, decimal EfficiencyFactor);
}

sealed record LatenciesFile(double IntraRegionMs, List<LatenciesFile.Pair> Pairs)
{
    public sealed record Pair(string From, string To, double RttMs);
}

sealed record TransferPricesFile(string Currency, decimal SameRegionYuanPerGb, decimal SameHubYuanPerGb,
    decimal CrossHubYuanPerGb, decimal EastWestCorridorYuanPerGb);
