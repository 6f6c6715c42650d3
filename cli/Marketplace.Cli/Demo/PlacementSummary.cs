namespace Marketplace.Cli.Demo;

// Where part of a job ran, and what with.
public sealed record PlacementSummary(string DatacenterId, string ProviderId, string RegionId, string HubId,
    string AcceleratorModel, string Origin, int Units, double RttMs, double TransferHours);
