using Marketplace.Broker.Failover;
using Marketplace.Events.V1;
using Marketplace.ServiceDefaults.Bus;
using MassTransit;

namespace Marketplace.Broker.Consumers;

// A site is down: move the leases it hits. Acked only once every move is done, so a broker killed midway
// gets the event again and finishes (each step of a move runs again safely).
public sealed class OutageStartedConsumer(FailoverDesk failover) : IConsumer<OutageStarted>
{
    public Task Consume(ConsumeContext<OutageStarted> context)
    {
        if (context.Message.Outage is not { Id.Length: > 0 } outage)
            throw PoisonMessageException.Counted("no outage", "OutageStarted without an outage");
        return failover.MoveLeasesAsync(outage, context.CancellationToken);
    }
}
