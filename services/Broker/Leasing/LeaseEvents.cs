using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Failover;
using Marketplace.Broker.V1;
using Marketplace.Events.V1;

namespace Marketplace.Broker.Leasing;

// Lease facts for the bus. Event ids are derived from the lease and the fact, so a re-send after a crash
// is recognisably the same event. They reach the bus through the outbox (OutboxRelay).
public sealed class LeaseEvents(TimeProvider clock)
{
    public (string Id, IMessage Event) Created(Lease lease) =>
        ($"lease-created:{lease.Id}", new LeaseCreated { EventId = $"lease-created:{lease.Id}", OccurredAt = Now(), Lease = lease });

    public (string Id, IMessage Event) Started(Lease lease) =>
        ($"lease-started:{lease.Id}", new LeaseStarted { EventId = $"lease-started:{lease.Id}", OccurredAt = Now(), Lease = lease });

    public (string Id, IMessage Event) Ended(Lease lease) =>
        ($"lease-ended:{lease.Id}", new LeaseEnded { EventId = $"lease-ended:{lease.Id}", OccurredAt = Now(), Lease = lease });

    public (string Id, IMessage Event) Cancelled(Lease lease, string reason) =>
        ($"lease-cancelled:{lease.Id}", new LeaseCancelled
        {
            EventId = $"lease-cancelled:{lease.Id}", OccurredAt = Now(), Lease = lease, Reason = reason,
        });

    public (string Id, IMessage Event) Moved(Lease lease, Lease? toLease, LeaseMove move, string group)
    {
        var id = $"lease-moved:{MoveCause.KeyOf(move)}:{lease.Id}:{group}";
        return (id, new LeaseMoved { EventId = id, OccurredAt = Now(), Lease = lease, ToLease = toLease, Move = move });
    }

    public (string Id, IMessage Event) Preempted(Lease lease, MoveCause cause, DateTimeOffset reclaimAt)
    {
        var id = $"lease-preempted:{cause.Key}:{lease.Id}";
        return (id, new LeasePreempted
        {
            EventId = id, OccurredAt = Now(), Lease = lease, ReclaimAt = Timestamp.FromDateTimeOffset(reclaimAt),
            OutageId = cause.OutageId, AuctionId = cause.AuctionId, BidId = cause.BidId,
        });
    }

    Timestamp Now() => Timestamp.FromDateTimeOffset(clock.GetUtcNow());
}
