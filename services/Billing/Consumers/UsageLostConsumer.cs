using Marketplace.Billing.Ledger;
using Marketplace.Events.V1;
using MassTransit;

namespace Marketplace.Billing.Consumers;

// Acknowledged only after the credit is in the ledger (or was already, or the offer had none).
public sealed class UsageLostConsumer(CreditDesk credits) : IConsumer<UsageLost>
{
    public Task Consume(ConsumeContext<UsageLost> context) => credits.PostAsync(context.Message, context.CancellationToken);
}
