namespace Marketplace.Console.Tenant;

// Capacity confirmed for a lease at one offer.
public sealed record AllocationView(
    string DatacenterId, string ProviderId, string RegionId, string HubId, string Model, int Units, long PricePerHourFen);
