using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;

namespace Marketplace.Bench.Scenarios;

// Leases (one per tenant; one tenant unless asked for more) and their hourly usage, as the broker and the
// provider's meter publish them (the shapes of tests/Marketplace.Integration.Tests/Billing/BillingSteps.cs).
// A batch's events go to the tenants in turn. Each batch has event ids of its own, so billing's dedup never
// skips one: every event of every batch is a posting.
public sealed class UsageEvents
{
    static readonly DateTimeOffset Hour0 = new(2030, 3, 4, 0, 0, 0, TimeSpan.Zero);
    const int HoursLeased = 24 * 365;
    int _batches;

    public UsageEvents(int tenants = 1) =>
        Leases = Enumerable.Range(0, tenants).Select(t => LeaseOf(tenants == 1 ? "bench-tenant" : $"bench-tenant-{t}")).ToList();

    public IReadOnlyList<Lease> Leases { get; }

    public Lease Lease => Leases[0];

    static Lease LeaseOf(string tenant)
    {
        var id = $"bench-lease-{Guid.NewGuid():N}"[..24];
        return new Lease
        {
            Id = id,
            TenantId = tenant,
            State = LeaseState.Scheduled,
            Window = Window(0, HoursLeased),
            Allocations =
            {
                new LeaseAllocation
                {
                    OfferId = $"offer-{id}", HoldId = $"hold-{id}", DatacenterId = "bench-site-guizhou", ProviderId = "bench-provider",
                    RegionId = "guizhou", HubId = "guizhou", AcceleratorModel = "H20", Units = 2,
                    PricePerHour = Money.FromDecimal(6.00m, "CNY"),
                },
            },
        };
    }

    public LeaseCreated Created => CreatedOf(Lease);

    public IReadOnlyList<LeaseCreated> AllCreated => Leases.Select(CreatedOf).ToList();

    static LeaseCreated CreatedOf(Lease lease) => new() { EventId = $"lease-created:{lease.Id}", OccurredAt = At(0), Lease = lease };

    public IReadOnlyList<UsageRecorded> NextBatch(int count)
    {
        var batch = NextStream();
        return Enumerable.Range(0, count).Select(batch).ToList();
    }

    // A batch of any length, made as it is published: the i-th event of a fresh batch.
    public Func<int, UsageRecorded> NextStream()
    {
        var batch = Interlocked.Increment(ref _batches);
        return i =>
        {
            var lease = Leases[i % Leases.Count];
            var allocation = lease.Allocations[0];
            return new UsageRecorded
            {
                EventId = $"usage:{allocation.HoldId}:{batch}:{i}",
                OccurredAt = At(i % HoursLeased + 1),
                LeaseId = lease.Id,
                OfferId = allocation.OfferId,
                HoldId = allocation.HoldId,
                ProviderId = allocation.ProviderId,
                DatacenterId = allocation.DatacenterId,
                AcceleratorModel = allocation.AcceleratorModel,
                Interval = Window(i % HoursLeased, 1),
                Units = allocation.Units,
                AcceleratorSeconds = allocation.Units * 3600L,
                EnergyKwh = 0.96,
            };
        };
    }

    static TimeWindow Window(int fromHour, int hours) => new() { Start = At(fromHour), End = At(fromHour + hours) };

    static Timestamp At(int hour) => Timestamp.FromDateTimeOffset(Hour0.AddHours(hour));
}
