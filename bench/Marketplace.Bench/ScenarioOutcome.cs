namespace Marketplace.Bench;

// What a scenario hands the report: its rows (one per amount of work when it sweeps one), and notes for the
// whole scenario. A scenario of absolute figures (memory) may have notes alone.
public sealed record ScenarioOutcome(IReadOnlyList<ScenarioResult> Rows)
{
    public IReadOnlyList<string> Notes { get; init; } = [];

    public static implicit operator ScenarioOutcome(ScenarioResult row) => new([row]);
}
