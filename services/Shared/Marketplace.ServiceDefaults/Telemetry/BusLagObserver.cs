using System.Diagnostics.Metrics;
using MassTransit;

namespace Marketplace.ServiceDefaults.Telemetry;

// How old a message is when a consumer starts on it: the time it spent on the bus and in its queue.
// From the AMQP timestamp its publisher set, which RabbitMQ carries in whole seconds; a message without
// one (a foreign publisher may leave it out) is not measured. The meter is the process's, as BusMetrics's.
public sealed class BusLagObserver : IConsumeObserver
{
    public const string MeterName = "Marketplace.Bus.Lag";

    static readonly IReadOnlyList<double> AgeBuckets = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    static readonly Histogram<double> Age = new Meter(MeterName).CreateHistogram("marketplace.bus.consumed_message.age",
        unit: "s", description: "Age of a message when its consumer starts on it (AMQP timestamp, whole seconds)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AgeBuckets });

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.SentTime is { } sent)
            Age.Record(Math.Max(0, (DateTime.UtcNow - sent).TotalSeconds), MessageTag<T>.Value);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    // One tag per message type, made once: the consume path allocates nothing for it.
    static class MessageTag<T>
    {
        public static readonly KeyValuePair<string, object?> Value = new("message", typeof(T).Name);
    }
}
