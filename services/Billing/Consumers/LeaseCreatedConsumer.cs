using Marketplace.Billing.Ledger;
using Marketplace.Billing.Storage;
using Marketplace.Events.V1;
using Marketplace.ServiceDefaults.Bus;
using MassTransit;

namespace Marketplace.Billing.Consumers;

// Remembers each lease's allocations and prices (usage is rated at them), then applies any usage that
// arrived before it. Acknowledged only after both: a crash in between redelivers and drains again.
public sealed class LeaseCreatedConsumer(LeaseStore leases, ParkedUsageDesk parked) : IConsumer<LeaseCreated>
{
    public async Task Consume(ConsumeContext<LeaseCreated> context)
    {
        var lease = context.Message.Lease;
        if (lease is null || lease.Id.Length == 0 || lease.Allocations.Count == 0)
            throw PoisonMessageException.Counted("no lease", "LeaseCreated without a lease or allocations");
        await leases.SaveAsync(lease);
        await parked.DrainAsync(lease.Id, context.CancellationToken);
    }
}
