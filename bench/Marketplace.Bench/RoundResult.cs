namespace Marketplace.Bench;

// One round: the baseline and the subject measured back to back, so their ratio shares one moment of the machine.
public sealed record RoundResult(LoadResult Baseline, LoadResult Subject)
{
    public double ThroughputRatio => Subject.RequestsPerSecond / Baseline.RequestsPerSecond;
    public double P50Ratio => Subject.P50Ms / Baseline.P50Ms;
    public double P99Ratio => Subject.P99Ms / Baseline.P99Ms;
}
