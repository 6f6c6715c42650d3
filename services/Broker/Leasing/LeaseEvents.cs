using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Events.V1;
using MassTransit;

namespace Marketplace.Broker.Leasing;

// Lease facts on the bus. Event ids are derived from the lease and the fact, so a re-publish after a
// crash is recognisably the same event.
public sealed class LeaseEvents(IBus bus, TimeProvider clock)
{
    public Task CreatedAsync(Lease lease, CancellationToken ct) =>
        bus.Publish(new LeaseCreated { EventId = $"lease-created:{lease.Id}", OccurredAt = Now(), Lease = lease }, ct);

    public Task StartedAsync(Lease lease, CancellationToken ct) =>
        bus.Publish(new LeaseStarted { EventId = $"lease-started:{lease.Id}", OccurredAt = Now(), Lease = lease }, ct);

    public Task EndedAsync(Lease lease, CancellationToken ct) =>
        bus.Publish(new LeaseEnded { EventId = $"lease-ended:{lease.Id}", OccurredAt = Now(), Lease = lease }, ct);

    public Task CancelledAsync(Lease lease, string reason, CancellationToken ct) =>
        bus.Publish(new LeaseCancelled
        {
            EventId = $"lease-cancelled:{lease.Id}", OccurredAt = Now(), Lease = lease, Reason = reason,
        }, ct);

    Timestamp Now() => Timestamp.FromDateTimeOffset(clock.GetUtcNow());
}
