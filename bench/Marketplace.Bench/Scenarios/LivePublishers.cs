using System.Diagnostics;
using Google.Protobuf;
using Marketplace.Testing.Market;

namespace Marketplace.Bench.Scenarios;

// N producers publishing at once for a while, each on a connection of its own in a closed loop (publish,
// await RabbitMQ's confirm, publish the next), as N meters would: the load of an ingest sweep point.
public static class LivePublishers
{
    // Publishes `next(0)`, `next(1)`, ... until `duration` is up; returns how many were published.
    public static async Task<int> RunAsync(Uri rabbit, int publishers, TimeSpan duration, Func<int, IMessage> next,
        CancellationToken ct)
    {
        var buses = await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => RawBus.ConnectAsync(rabbit)));
        try
        {
            var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var published = 0;
            await Task.WhenAll(buses.Select(bus => Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < until)
                    await bus.PublishAsync(next(Interlocked.Increment(ref published) - 1), ct);
            }, ct)));
            return published;
        }
        finally
        {
            foreach (var bus in buses)
                await bus.DisposeAsync();
        }
    }
}
