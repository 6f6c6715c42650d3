namespace Marketplace.Bench;

// One thing to put load on: a label for the report and the call each worker repeats.
public sealed record LoadTarget(string Label, Func<CancellationToken, Task> Call);
