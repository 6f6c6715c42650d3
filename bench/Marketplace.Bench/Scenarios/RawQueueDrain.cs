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

    public static async Task<DrainTiming> RunAsync(Uri rabbit, string exchange, int count, Func<Task> fill,
        TimeSpan timeout, CancellationToken ct)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum", ["x-delivery-limit"] = 20 },
            cancellationToken: ct);
        await channel.QueueBindAsync(Queue, exchange, "", cancellationToken: ct);

        await fill();
        await QueueCheck.ExpectReadyAsync(rabbit, Queue, count, ct);

        await channel.BasicQosAsync(0, Prefetch, global: false, ct);
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long first = 0, last = 0;
        var seen = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            // One delivery at a time per channel (the client's default dispatch): no lock needed.
            if (++seen == 1) first = Stopwatch.GetTimestamp();
            if (seen == count)
            {
                last = Stopwatch.GetTimestamp();
                drained.TrySetResult();
            }
        };
        var tag = await channel.BasicConsumeAsync(Queue, autoAck: false, consumer, ct);
        await drained.Task.WaitAsync(timeout, ct);
        await channel.BasicCancelAsync(tag, cancellationToken: ct);
        await channel.QueueDeleteAsync(Queue, cancellationToken: ct); // a failed run leaves it to the scenario's clean-up
        return new DrainTiming(count, 1, Stopwatch.GetElapsedTime(first, last));
    }
}
