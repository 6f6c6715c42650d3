namespace Marketplace.Bench;

// The figures of one measured period.
public sealed record LoadResult(long Calls, double RequestsPerSecond, double P50Ms, double P99Ms)
{
    // Percentiles of two runs are averaged, not merged: good enough to show a baseline and its drift.
    public static LoadResult Mean(LoadResult a, LoadResult b) =>
        new((a.Calls + b.Calls) / 2, (a.RequestsPerSecond + b.RequestsPerSecond) / 2,
            (a.P50Ms + b.P50Ms) / 2, (a.P99Ms + b.P99Ms) / 2);
}
