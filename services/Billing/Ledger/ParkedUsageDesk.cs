using Marketplace.Billing.Consumers;
using Marketplace.Billing.Storage;
using Marketplace.Billing.Telemetry;
using Marketplace.ServiceDefaults.Bus;
using MassTransit;

namespace Marketplace.Billing.Ledger;

// Applies the usage parked for a lease once the lease is known. A parked usage that turns out never to
// be applicable (an hour of a hold the lease does not have) goes to the usage queue's error queue with
// its reason, as it would have had it arrived after its lease.
public sealed class ParkedUsageDesk(ParkedUsageStore parked, UsageDesk rating, IBus bus, IEndpointNameFormatter names,
    ILogger<ParkedUsageDesk> logger)
{
    public async Task<int> DrainAsync(string leaseId, CancellationToken ct)
    {
        var usages = await parked.ForLeaseAsync(leaseId);
        foreach (var usage in usages)
        {
            try
            {
                BillingMetrics.Posted(await rating.PostAsync(usage, ct));
            }
            catch (PoisonMessageException poison)
            {
                var errors = await bus.GetSendEndpoint(new Uri($"queue:{names.Consumer<UsageRecordedConsumer>()}_error"));
                await errors.Send(usage, send => send.Headers.Set(PoisonMessageException.ReasonHeader, poison.Reason), ct);
                logger.LogWarning("Parked usage {EventId} of lease {LeaseId} cannot be applied: {Reason}", usage.EventId, leaseId, poison.Reason);
            }
            await parked.DoneAsync(leaseId, usage.EventId);
        }
        if (usages.Count > 0)
            logger.LogInformation("Applied {Count} usages parked for lease {LeaseId}", usages.Count, leaseId);
        return usages.Count;
    }
}
