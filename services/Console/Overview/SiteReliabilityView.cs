using Marketplace.Provider.V1;

namespace Marketplace.Console.Overview;

// A site's record as the operator page lists it: delivered / leased accelerator-hours over the last 30 market
// days, or null when nothing was leased there yet.
public sealed record SiteReliabilityView(string Datacenter, string Name, string Provider, string Hub, string Region, double? Reliability)
{
    public static SiteReliabilityView From(DataCenter d) =>
        new(d.Id, d.Name, d.ProviderId, d.HubId, d.RegionId, d.HasReliability ? d.Reliability : null);
}
