using Google.Protobuf;
using Marketplace.Testing.Market;

namespace Marketplace.Bench.Scenarios;

// Publishes a batch with RawBus (bare protobuf, type header, publisher confirms) over a few connections
// at once: confirms are awaited one by one, so one connection alone would take minutes for 60,000 events.
public sealed class EventPublisher(Uri rabbit)
{
    const int Connections = 4;

    public async Task PublishAsync(IReadOnlyList<IMessage> messages, CancellationToken ct)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
        {
            await using var bus = await RawBus.ConnectAsync(rabbit);
            for (var i = Interlocked.Increment(ref next); i < messages.Count; i = Interlocked.Increment(ref next))
                await bus.PublishAsync(messages[i], ct);
        }, ct)));
    }
}
