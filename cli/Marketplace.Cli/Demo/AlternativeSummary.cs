namespace Marketplace.Cli.Demo;

// The nearest-site alternative: the cheapest option in the tenant's own region, else its own hub.
public sealed record AlternativeSummary(IReadOnlyList<string> DatacenterIds, IReadOnlyList<string> RegionIds,
    IReadOnlyList<string> HubIds, decimal Total, bool SameAsChosen);
