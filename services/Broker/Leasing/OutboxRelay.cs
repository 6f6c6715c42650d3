using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Storage;
using Marketplace.ServiceDefaults.Bus;
using Marketplace.ServiceDefaults.Time;
using MassTransit;
using Marketplace.ServiceDefaults.Replicas;

namespace Marketplace.Broker.Leasing;

// Sends what the outbox holds and marks it sent once RabbitMQ has confirmed it. The writer of an event
// asks for it to be sent at once; whatever that misses (a crash, RabbitMQ away, a deadline) the periodic
// pass sends later, for as long as it takes. Sending twice is harmless: billing deduplicates on event id.
public sealed class OutboxRelay(OutboxStore outbox, IBus bus, BrokerOptions options, ILogger<OutboxRelay> logger, RunnerLease runner)
    : PeriodicWork(options.OutboxRelayInterval, logger, runOnce: runner)
{
    const int Batch = 200;

    // Tries to send one event now, within the relay's own deadline; never throws. The client's
    // cancellation plays no part: the event is already committed.
    public async Task<bool> SendNowAsync(string eventId, IMessage message)
    {
        try
        {
            await PublishAsync(message, CancellationToken.None);
            await outbox.MarkSentAsync(eventId);
            return true;
        }
        catch (Exception ex)
        {
            logger.LogWarning("Event {EventId} stays in the outbox for the relay: {Reason}", eventId, ex.Message);
            return false;
        }
    }

    protected override async Task TickAsync(CancellationToken ct)
    {
        // Only events older than one send's deadline: younger ones are still being sent by their writer.
        var before = DateTimeOffset.UtcNow - options.OutboxSendTimeout;
        while (!ct.IsCancellationRequested)
        {
            var due = await outbox.DueAsync(before.ToUnixTimeMilliseconds(), Batch);
            foreach (var (eventId, envelope) in due)
            {
                await PublishAsync(Unpack(envelope), ct);
                await outbox.MarkSentAsync(eventId);
                logger.LogInformation("Relayed {EventId} from the outbox", eventId);
            }
            if (due.Count < Batch)
                return;
        }
    }

    Task PublishAsync(IMessage message, CancellationToken ct) => bus.PublishWithinAsync(message, options.OutboxSendTimeout, ct);

    static IMessage Unpack(Any envelope)
    {
        var typeName = Any.GetTypeName(envelope.TypeUrl);
        if (!ProtobufMessageTypes.TryGet(typeName, out var descriptor))
            throw new InvalidOperationException($"the outbox holds an event of unknown type '{typeName}'");
        return descriptor.Parser.ParseFrom(envelope.Value);
    }
}
