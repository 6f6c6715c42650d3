namespace Marketplace.Bench;

// Baseline, subject, baseline again: the two baseline runs bracket the subject so drift shows.
public sealed record ScenarioResult(string BaselineLabel, string SubjectLabel,
    LoadResult BaselineBefore, LoadResult Subject, LoadResult BaselineAfter)
{
    // What a reader needs to read the figures: how the run was made, what a reply held, what was checked.
    public IReadOnlyList<string> Notes { get; init; } = [];

    // What is counted: calls ("requests", per second) unless a scenario counts something else ("events").
    public string Unit { get; init; } = "requests";

    public LoadResult Baseline => LoadResult.Mean(BaselineBefore, BaselineAfter);

    public double ThroughputRatio => Subject.RequestsPerSecond / Baseline.RequestsPerSecond;
    public double P50Ratio => Subject.P50Ms / Baseline.P50Ms;
    public double P99Ratio => Subject.P99Ms / Baseline.P99Ms;

    public double BaselineDrift => BaselineAfter.RequestsPerSecond / BaselineBefore.RequestsPerSecond - 1;
}
