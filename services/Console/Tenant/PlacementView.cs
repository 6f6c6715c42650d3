using Marketplace.Broker.V1;

namespace Marketplace.Console.Tenant;

// The share of an option at one data center's offer; Reliability: the site's hours delivered / leased.
public sealed record PlacementView(
    string DatacenterId, string ProviderId, string RegionId, string HubId, string Model, int Units,
    long PricePerHourFen, double RttMs, double TransferHours, long Start, long End, double Reliability)
{
    public static PlacementView From(Placement p) => new(
        p.DatacenterId, p.ProviderId, p.RegionId, p.HubId, p.AcceleratorModel, p.Units, WholeFen.Of(p.PricePerHour),
        p.RttMs, p.TransferHours, UnixMs.Of(p.Window?.Start), UnixMs.Of(p.Window?.End), p.Reliability);
}
