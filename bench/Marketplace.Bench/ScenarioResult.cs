namespace Marketplace.Bench;

// One row of a scenario: a subject against a baseline taken in the same rounds on the same machine. Each
// figure is the median of the per-round ratios, so one noisy round does not decide it.
public sealed record ScenarioResult(string BaselineLabel, string SubjectLabel, IReadOnlyList<RoundResult> Rounds)
{
    // What a reader needs to read the figures: how the run was made, what a reply held, what was checked.
    public IReadOnlyList<string> Notes { get; init; } = [];

    // What is counted: calls ("requests", per second) unless a scenario counts something else ("events").
    public string Unit { get; init; } = "requests";

    // How much work the subject was given, for a scenario that sweeps it ("1,000 offers", "16 callers").
    public string? Work { get; init; }

    public LoadResult Baseline => LoadResult.Median(Rounds.Select(r => r.Baseline).ToList());
    public LoadResult Subject => LoadResult.Median(Rounds.Select(r => r.Subject).ToList());

    public double ThroughputRatio => Medians.Of(Rounds.Select(r => r.ThroughputRatio));
    public double P50Ratio => Medians.Of(Rounds.Select(r => r.P50Ratio));
    public double P99Ratio => Medians.Of(Rounds.Select(r => r.P99Ratio));

    // The baseline's last round against its first: how far the machine moved while the scenario ran.
    public double BaselineDrift => Rounds[^1].Baseline.RequestsPerSecond / Rounds[0].Baseline.RequestsPerSecond - 1;

    // The baseline's widest swing between rounds, against its median.
    public double BaselineSpread => (Rounds.Max(r => r.Baseline.RequestsPerSecond) - Rounds.Min(r => r.Baseline.RequestsPerSecond))
                                    / Baseline.RequestsPerSecond;
}
