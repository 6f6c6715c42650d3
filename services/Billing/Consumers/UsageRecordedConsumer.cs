using Marketplace.Billing.Ledger;
using Marketplace.Billing.Telemetry;
using Marketplace.Events.V1;
using MassTransit;

namespace Marketplace.Billing.Consumers;

// Acknowledged only after the posting is in the ledger (or was already): exactly once in effect.
public sealed class UsageRecordedConsumer(UsageDesk usage) : IConsumer<UsageRecorded>
{
    public async Task Consume(ConsumeContext<UsageRecorded> context) =>
        BillingMetrics.Posted(await usage.PostAsync(context.Message, context.CancellationToken));
}
