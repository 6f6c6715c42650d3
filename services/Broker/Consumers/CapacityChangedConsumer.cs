using Marketplace.Broker.Catalog;
using Marketplace.Events.V1;
using Marketplace.ServiceDefaults.Bus;
using MassTransit;

namespace Marketplace.Broker.Consumers;

public sealed class CapacityChangedConsumer(OfferCatalog catalog) : IConsumer<CapacityChanged>
{
    public Task Consume(ConsumeContext<CapacityChanged> context)
    {
        if (context.Message.Capacity?.Offer is null || context.Message.Capacity.Offer.Id.Length == 0)
            throw PoisonMessageException.Counted("no offer", "CapacityChanged without an offer");
        catalog.Apply(context.Message.Capacity);
        return Task.CompletedTask;
    }
}
