namespace Marketplace.Bench;

// One named measurement of a subject against a baseline taken in the same run on the same machine.
public interface IScenario
{
    string Name { get; }
    string Description { get; }
    Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct);
}
