using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;

namespace Marketplace.Broker.Failover;

// What to ask the market for hours moved off a site in outage: the lease's own request (model or class,
// workload, regions, latency, domestic only, data, ceiling, voucher), for the moved accelerators over
// exactly the moved hours. A request in PFLOPS-hours asks for the failed model's class: as capable or more.
public static class FailoverRequest
{
    public static QuoteRequest For(Lease lease, IReadOnlyList<LeaseAllocation> moved, DateTimeOffset from, DateTimeOffset end)
    {
        var request = lease.Request?.Clone() ?? new QuoteRequest { TenantId = lease.TenantId, VoucherId = lease.VoucherId };
        var units = moved.Sum(a => a.Units);
        var hours = (long)Math.Round((end - from).TotalHours) * units;
        var original = request.AcceleratorHours;
        request.AcceleratorHours = original is { AcceleratorModel.Length: > 0 }
            ? new AcceleratorHours { AcceleratorModel = original.AcceleratorModel, Hours = hours }
            : new AcceleratorHours { AcceleratorClass = original?.AcceleratorClass is { Length: > 0 } c ? c : moved[0].AcceleratorModel + "-class", Hours = hours };
        request.Accelerators = units;
        request.Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(from), End = Timestamp.FromDateTimeOffset(end) };
        return request;
    }
}
