namespace Marketplace.Bench;

// Baseline, subject, baseline again: the two baseline runs bracket the subject so drift shows.
public sealed record ScenarioResult(string BaselineLabel, string SubjectLabel,
    LoadResult BaselineBefore, LoadResult Subject, LoadResult BaselineAfter)
{
    public LoadResult Baseline => LoadResult.Mean(BaselineBefore, BaselineAfter);

    public double ThroughputRatio => Subject.RequestsPerSecond / Baseline.RequestsPerSecond;
    public double P50Ratio => Subject.P50Ms / Baseline.P50Ms;
    public double P99Ratio => Subject.P99Ms / Baseline.P99Ms;

    public double BaselineDrift => BaselineAfter.RequestsPerSecond / BaselineBefore.RequestsPerSecond - 1;
}
