namespace Marketplace.Reference;

// The route price of moving one GB between two regions (either direction), before site fees.
public sealed record TransferTariff(
    string Currency,
    decimal SameRegionPerGb,
    decimal SameHubPerGb,
    decimal CrossHubPerGb,
    decimal EastWestCorridorPerGb)
{
    public decimal RoutePerGb(Region from, Region to, Func<string, Hub?> hubOf)
    {
        if (from.Id == to.Id)
            return SameRegionPerGb;
        if (from.HubId is not null && from.HubId == to.HubId)
            return SameHubPerGb;
        var (a, b) = (from.HubId is null ? null : hubOf(from.HubId), to.HubId is null ? null : hubOf(to.HubId));
        return a is not null && b is not null && a.Side != b.Side ? EastWestCorridorPerGb : CrossHubPerGb;
    }
}
