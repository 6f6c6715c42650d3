using System.Diagnostics.Metrics;
using Marketplace.Broker.Storage;
using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Broker.Telemetry;

// The lease events still in the outbox and the age of the oldest: how far the bus lags behind the
// leases. Read every few seconds, not at scrape time, so a scrape never waits on Redis. The gauges are
// the process's (see BrokerMetrics): with several brokers in one process, the last reading wins.
public sealed class OutboxBacklogMeter(OutboxStore outbox, ILogger<OutboxBacklogMeter> logger)
    : PeriodicWork(TimeSpan.FromSeconds(5), logger, runAtStart: true)
{
    static long _count;
    static double _oldestAgeSeconds;

    static OutboxBacklogMeter()
    {
        BrokerMetrics.Meter.CreateObservableGauge("marketplace.broker.outbox.events", () => Interlocked.Read(ref _count),
            description: "Lease events written and not yet confirmed by RabbitMQ");
        BrokerMetrics.Meter.CreateObservableGauge("marketplace.broker.outbox.oldest_age", () => Volatile.Read(ref _oldestAgeSeconds),
            unit: "s", description: "Age of the oldest lease event not yet confirmed by RabbitMQ (0 when none waits)");
    }

    protected override async Task TickAsync(CancellationToken ct)
    {
        var (count, oldestMs) = await outbox.BacklogAsync();
        Interlocked.Exchange(ref _count, count);
        var age = oldestMs is { } ms ? Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ms) / 1000.0 : 0;
        Volatile.Write(ref _oldestAgeSeconds, age);
    }
}
