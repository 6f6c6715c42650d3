using Marketplace.Billing.Storage;
using Marketplace.Events.V1;
using Marketplace.ServiceDefaults.Bus;
using MassTransit;

namespace Marketplace.Billing.Consumers;

// Remembers each lease's allocations and prices: usage is rated at them.
public sealed class LeaseCreatedConsumer(LeaseBook leases) : IConsumer<LeaseCreated>
{
    public Task Consume(ConsumeContext<LeaseCreated> context)
    {
        var lease = context.Message.Lease;
        if (lease is null || lease.Id.Length == 0 || lease.Allocations.Count == 0)
            throw PoisonMessageException.Counted("missing-lease", "LeaseCreated without a lease or allocations");
        return leases.SaveAsync(lease);
    }
}
