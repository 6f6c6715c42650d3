namespace Marketplace.Bench;

// One thing to put load on: a label for the report and the call each worker repeats. Prepare, when given,
// runs untimed before every run of the target with that run's whole length (warm-up + measured), for
// targets whose calls consume something made beforehand (a quote can be accepted only once). Concurrency,
// when given, overrides --concurrency for this target alone (a sweep over callers).
public sealed record LoadTarget(string Label, Func<CancellationToken, Task> Call,
    Func<TimeSpan, CancellationToken, Task>? Prepare = null, int? Concurrency = null)
{
    public int CallersFor(BenchOptions options) => Concurrency ?? options.Concurrency;
}
