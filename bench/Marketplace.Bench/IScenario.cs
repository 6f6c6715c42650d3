namespace Marketplace.Bench;

// One named measurement of a subject against a baseline taken in the same run on the same machine.
public interface IScenario
{
    string Name { get; }
    string Description { get; }

    // What the subject is measured against, for --list.
    string Baseline { get; }

    Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct);
}
