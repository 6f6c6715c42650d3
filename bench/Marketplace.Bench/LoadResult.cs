namespace Marketplace.Bench;

// The figures of one measured period, with the callers that made them (0: not a closed loop).
public sealed record LoadResult(long Calls, double RequestsPerSecond, double P50Ms, double P99Ms, int Callers = 0)
{
    // Each figure's median over several runs: one slow run does not move it, as it would a mean.
    public static LoadResult Median(IReadOnlyList<LoadResult> runs) =>
        new((long)Medians.Of(runs.Select(r => (double)r.Calls)), Medians.Of(runs.Select(r => r.RequestsPerSecond)),
            Medians.Of(runs.Select(r => r.P50Ms)), Medians.Of(runs.Select(r => r.P99Ms)), runs[0].Callers);
}
