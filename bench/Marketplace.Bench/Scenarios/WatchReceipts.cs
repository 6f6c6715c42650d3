using System.Diagnostics;

namespace Marketplace.Bench.Scenarios;

// What the readers of one run received: per reader, write-to-receipt latencies of the receipts inside the
// measured period, and any receipt out of order (a gap or a duplicate) anywhere in the run.
public sealed class WatchReceipts(PacedLogWriter writer, int readers, long measureFrom, long measureTo)
{
    readonly LatencyHistogram[] _latencies = Enumerable.Range(0, readers).Select(_ => new LatencyHistogram()).ToArray();
    readonly int[] _last = Enumerable.Repeat(-1, readers).ToArray();
    long _outOfOrder;

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    // Called by reader `reader` only, for each event it gets.
    public void Got(int reader, string sourceEventId)
    {
        var now = Stopwatch.GetTimestamp();
        if (!PacedLogWriter.TryNumber(sourceEventId, out var n))
            return;
        if (_last[reader] >= 0 && n != _last[reader] + 1)
            Interlocked.Increment(ref _outOfOrder);
        _last[reader] = n;
        if (now >= measureFrom && now < measureTo)
            _latencies[reader].Record(now - writer.WrittenAt(n));
    }

    public LoadResult Result(TimeSpan measured, int callers)
    {
        var all = new LatencyHistogram();
        foreach (var histogram in _latencies) all.Add(histogram);
        return new LoadResult(all.Count, all.Count / measured.TotalSeconds, Milliseconds(all.Percentile(0.50)),
            Milliseconds(all.Percentile(0.99)), callers);
    }

    static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
