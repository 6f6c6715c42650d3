using Marketplace.Broker.V1;
using Marketplace.Events.V1;
using Marketplace.Pricing;

namespace Marketplace.Integration.Tests.Billing;

// What usages of a lease should cost by the market's one pricing rule (Marketplace.Pricing), summed:
// a whole allocation-hour is its share of the lease's running totals; any other usage is rated alone.
static class ExpectedCharges
{
    public static Charge Of(Lease lease, IEnumerable<UsageRecorded> usages, decimal feePercent = 10m)
    {
        var parts = lease.Allocations.Select(a =>
        {
            var window = a.Window ?? lease.Window;
            var start = window.Start.ToDateTimeOffset();
            return new LeasePart(a.Units, start, (int)(window.End.ToDateTimeOffset() - start).TotalHours,
                a.PricePerHour.ToDecimal(), a.RegionId, a.ProviderId);
        }).ToList();
        var charges = new LeaseCharges(parts, null, feePercent);
        var total = new Charge();
        foreach (var usage in usages)
        {
            var part = lease.Allocations.Select((a, i) => (a, i)).Single(x => x.a.HoldId == usage.HoldId).i;
            var hour = (usage.Interval.Start.ToDateTimeOffset() - parts[part].Start).TotalHours;
            total += usage.AcceleratorSeconds == parts[part].Units * 3600L && hour >= 0 && hour < parts[part].Hours
                ? charges.OfHour(part, (int)hour)
                : new LeaseCharges([parts[part] with { Units = 1, Hours = 1,
                    PricePerHour = parts[part].PricePerHour * usage.AcceleratorSeconds / 3600m }], null, feePercent).Total;
        }
        return total;
    }
}
