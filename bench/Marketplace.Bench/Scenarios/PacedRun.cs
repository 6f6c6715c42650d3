using System.Diagnostics;
using Grpc.Core;

namespace Marketplace.Bench.Scenarios;

// What one paced run's measured calls were told: served (with latency), limited, or failed otherwise.
public sealed class PacedRun(TimeSpan measured)
{
    readonly Lock _lock = new();
    readonly LatencyHistogram _served = new();
    long _limited, _failed;

    public string? FirstFailure { get; private set; }

    public long ServedCount { get { lock (_lock) return _served.Count; } }
    public long LimitedCount => Interlocked.Read(ref _limited);
    public long FailedCount => Interlocked.Read(ref _failed);
    public long Calls => ServedCount + LimitedCount + FailedCount;
    public double ServedShare => Calls == 0 ? double.NaN : (double)ServedCount / Calls;
    public double LimitedShare => Calls == 0 ? double.NaN : (double)LimitedCount / Calls;

    public void Served(long ticks)
    {
        lock (_lock) _served.Record(ticks);
    }

    public void Limited() => Interlocked.Increment(ref _limited);

    public void Failed(RpcException e)
    {
        Interlocked.Increment(ref _failed);
        lock (_lock) FirstFailure ??= $"{e.StatusCode}: {e.Status.Detail}";
    }

    // The served calls, as the report prints them.
    public LoadResult Result()
    {
        lock (_lock)
            return new LoadResult(_served.Count, _served.Count / measured.TotalSeconds,
                Milliseconds(_served.Percentile(0.50)), Milliseconds(_served.Percentile(0.99)));
    }

    static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
