using System.Numerics;

namespace Marketplace.Bench;

// Call latencies in Stopwatch ticks, in log-linear buckets: exact below 256 ticks, then 128 buckets per
// power of two, so any percentile is within 0.4% of the truth in a fixed 64 KB, whatever the run length.
public sealed class LatencyHistogram
{
    const int SubBuckets = 128;
    const int ExactBelow = 2 * SubBuckets;

    readonly long[] _counts = new long[64 * SubBuckets];

    public long Count { get; private set; }

    public void Record(long ticks)
    {
        _counts[Index(Math.Max(ticks, 0))]++;
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
            _counts[i] += other._counts[i];
        Count += other.Count;
    }

    // The smallest recorded value with at least `quantile` of all values at or below it.
    public long Percentile(double quantile)
    {
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
            if ((seen += _counts[i]) >= rank)
                return Midpoint(i);
        return 0;
    }

    static int Index(long ticks)
    {
        if (ticks < ExactBelow) return (int)ticks;
        var shift = BitOperations.Log2((ulong)ticks) - 7; // keeps the top 8 bits: 128..255
        return shift * SubBuckets + (int)(ticks >> shift);
    }

    static long Midpoint(int index)
    {
        if (index < ExactBelow) return index;
        var shift = index / SubBuckets - 1;
        var mantissa = index - shift * SubBuckets;
        return ((long)mantissa << shift) + (1L << shift) / 2;
    }
}
