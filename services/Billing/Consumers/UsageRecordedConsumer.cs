using Marketplace.Billing.Ledger;
using Marketplace.Events.V1;
using MassTransit;

namespace Marketplace.Billing.Consumers;

// Acknowledged only after the posting is in the ledger (or was already): exactly once in effect.
public sealed class UsageRecordedConsumer(UsageDesk usage) : IConsumer<UsageRecorded>
{
    public Task Consume(ConsumeContext<UsageRecorded> context) => usage.PostAsync(context.Message, context.CancellationToken);
}
