namespace Marketplace.Bench;

// A queue drained from full: `Count` events, of which `AlreadyDone` were done when the clock started (at the
// first one seen), and the time from then to the last. Both consumers are timed this way, so neither pays
// for its start-up (billing's is a whole web host) and the rate is the steady drain.
public sealed record DrainTiming(int Count, int AlreadyDone, TimeSpan Elapsed)
{
    public double PerSecond => (Count - AlreadyDone) / Elapsed.TotalSeconds;

    // As a row of the report: no per-call latency in a drain.
    public LoadResult ToLoadResult() => new(Count, PerSecond, double.NaN, double.NaN);
}
