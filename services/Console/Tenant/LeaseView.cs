using Marketplace.Broker.V1;

namespace Marketplace.Console.Tenant;

// A tenant's lease: its state, window, where it runs and what the quote said the invoice will bill.
public sealed record LeaseView(
    string Id, string State, string QuoteId, long CreatedAt, long Start, long End, long QuotedTotalFen, long TenantDueFen,
    IReadOnlyList<AllocationView> Allocations)
{
    public static LeaseView From(Lease l) => new(
        l.Id, l.State.ToString().ToLowerInvariant(), l.QuoteId, UnixMs.Of(l.CreatedAt), UnixMs.Of(l.Window?.Start),
        UnixMs.Of(l.Window?.End), WholeFen.Of(l.QuotedTotal), WholeFen.Of(l.Quoted?.TenantDue),
        l.Allocations.Select(a => new AllocationView(a.DatacenterId, a.ProviderId, a.RegionId, a.HubId, a.AcceleratorModel,
            a.Units, WholeFen.Of(a.PricePerHour))).ToList());
}
