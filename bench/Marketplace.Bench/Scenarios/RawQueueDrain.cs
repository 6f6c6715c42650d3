using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Marketplace.Bench.Scenarios;

// The baseline consumer: RabbitMQ.Client alone on the same kind of queue billing reads (quorum, delivery
// limit 20, bound to the event's fanout exchange), prefetch 128 and manual acks as billing's bus has,
// and a handler that only acks. Its queue exists only while it runs, so it never takes billing's batches.
public static class RawQueueDrain
{
    public const string Queue = "bench-raw-usage-recorded";
    const ushort Prefetch = 128;

    // Drains a queue filled beforehand by `fill`: timed from the first event to the last.
    public static async Task<DrainTiming> RunAsync(Uri rabbit, string exchange, int count, Func<Task> fill,
        TimeSpan timeout, CancellationToken ct)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync(ct);
        await using var channel = await DeclareAsync(connection, exchange, ct);
        await fill();
        await QueueCheck.ExpectReadyAsync(rabbit, Queue, count, ct);
        var counter = new Counter();
        var tag = await ConsumeAsync(channel, counter, ct);
        await counter.WaitForAsync(count, timeout, ct);
        await channel.BasicCancelAsync(tag, cancellationToken: ct);
        await channel.QueueDeleteAsync(Queue, cancellationToken: ct); // a failed run leaves it to the scenario's clean-up
        return new DrainTiming(count, 1, Stopwatch.GetElapsedTime(counter.First, counter.Last));
    }

    // Consumes while `publish` runs (it returns how many it published): timed from the publishing's start
    // to the last event consumed.
    public static async Task<DrainTiming> LiveAsync(Uri rabbit, string exchange, Func<Task<int>> publish,
        TimeSpan timeout, CancellationToken ct)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync(ct);
        await using var channel = await DeclareAsync(connection, exchange, ct);
        var counter = new Counter();
        var tag = await ConsumeAsync(channel, counter, ct);
        var start = Stopwatch.GetTimestamp();
        var count = await publish();
        await counter.WaitForAsync(count, timeout, ct);
        await channel.BasicCancelAsync(tag, cancellationToken: ct);
        await channel.QueueDeleteAsync(Queue, cancellationToken: ct);
        return new DrainTiming(count, 0, Stopwatch.GetElapsedTime(start, counter.Last));
    }

    static async Task<IChannel> DeclareAsync(IConnection connection, string exchange, CancellationToken ct)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum", ["x-delivery-limit"] = 20 },
            cancellationToken: ct);
        await channel.QueueBindAsync(Queue, exchange, "", cancellationToken: ct);
        return channel;
    }

    static async Task<string> ConsumeAsync(IChannel channel, Counter counter, CancellationToken ct)
    {
        await channel.BasicQosAsync(0, Prefetch, global: false, ct);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            counter.Seen();
        };
        return await channel.BasicConsumeAsync(Queue, autoAck: false, consumer, ct);
    }

    // Events acked so far, when the first and the latest were, and a wait for the n-th. One delivery at a
    // time per channel (the client's default dispatch), so Seen needs no lock; the wait polls.
    sealed class Counter
    {
        int _seen;
        public long First { get; private set; }
        public long Last { get; private set; }

        public void Seen()
        {
            Last = Stopwatch.GetTimestamp();
            if (_seen == 0) First = Last;
            Volatile.Write(ref _seen, _seen + 1);
        }

        public async Task WaitForAsync(int count, TimeSpan timeout, CancellationToken ct)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (Volatile.Read(ref _seen) < count)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                    throw new TimeoutException($"the raw consumer took {Volatile.Read(ref _seen)} of {count} within {timeout.TotalSeconds:0} s");
                await Task.Delay(1, ct);
            }
        }
    }
}
