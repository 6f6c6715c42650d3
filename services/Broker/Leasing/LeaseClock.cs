using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using Marketplace.ServiceDefaults.Time;
using Marketplace.ServiceDefaults.Replicas;

namespace Marketplace.Broker.Leasing;

// Starts and ends leases on the hour, on the market clock, and tells the market.
public sealed class LeaseClock(LeaseStore leases, LeaseEvents events, OutboxRelay relay, BrokerOptions options, TimeProvider clock,
    ILogger<LeaseClock> logger, RunnerLease runner) : PeriodicWork(options.LeaseTickInterval, logger, runOnce: runner)
{
    protected override async Task TickAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var id in await leases.DueToStartAsync(now))
            await MoveAsync(id, LeaseState.Scheduled, LeaseState.Active, ct);
        foreach (var id in await leases.DueToEndAsync(now))
            await MoveAsync(id, LeaseState.Active, LeaseState.Ended, ct);
    }

    async Task MoveAsync(string id, LeaseState from, LeaseState to, CancellationToken ct)
    {
        var lease = await leases.GetAsync(id);
        if (lease is null || lease.State != from)
        {
            await leases.ForgetScheduleAsync(id); // cancelled or ended early meanwhile
            return;
        }
        lease.State = to;
        if (to == LeaseState.Active)
            lease.StartedAt = lease.Window.Start;
        else
            lease.EndedAt = lease.Window.End;
        var (eventId, message) = to == LeaseState.Active ? events.Started(lease) : events.Ended(lease);
        if (await leases.TransitionAsync(lease, from, eventId, message, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))
            await relay.SendNowAsync(eventId, message);
    }
}
