using System.Diagnostics.Metrics;
using Marketplace.ServiceDefaults.Time;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Marketplace.ServiceDefaults.Telemetry;

// Redis's round trip as this service sees it: a PING every few seconds, off every request's path, so the
// figure costs the market's own commands nothing. A ping that fails or takes over 2 s is counted instead.
// One meter per process, as the bus's (BusMetrics): hosts that share a process (tests, the bench) share
// it, and stopping one of them cannot end the instruments the others report.
public sealed class RedisLatencyMeter(IConnectionMultiplexer redis, ILogger<RedisLatencyMeter> logger)
    : PeriodicWork(TimeSpan.FromSeconds(5), logger, runAtStart: true)
{
    public const string MeterName = "Marketplace.Redis";
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);
    static readonly Meter Meter = new(MeterName);

    static readonly Histogram<double> Ping = Meter.CreateHistogram("marketplace.redis.ping.duration",
        unit: "s", description: "Round trip of a PING to Redis, sampled every 5 s",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Seconds });

    static readonly Counter<long> Failures = Meter.CreateCounter<long>("marketplace.redis.ping.failures",
        description: "PINGs to Redis that failed or took over 2 s");

    protected override async Task TickAsync(CancellationToken ct)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(Deadline, ct);
            Ping.Record(latency.TotalSeconds);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Failures.Add(1); // health says why; the log need not say it every 5 s
        }
    }
}
