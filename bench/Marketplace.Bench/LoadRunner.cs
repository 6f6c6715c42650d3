using System.Diagnostics;

namespace Marketplace.Bench;

// A closed-loop load generator: each of N workers awaits one call at a time, so throughput and latency
// come from the same calls. Calls that finish in the warm-up are not counted; neither are those that
// finish after the measured period.
public static class LoadRunner
{
    // Interleaved rounds of baseline and subject(s), after one untimed priming pass over every target: a fresh
    // process runs at a fraction of its steady rate for its first seconds (tiered JIT, RabbitMQ finishing its
    // boot), and the priming pass is as long as a measured run. Each subject's ratio is taken per round, against
    // the baseline of the same round, and the report gives their median.
    public static async Task<ScenarioResult> CompareAsync(LoadTarget baseline, LoadTarget subject,
        BenchOptions options, CancellationToken ct) =>
        (await CompareAsync(baseline, [subject], options, ct))[0];

    // Several subjects against one baseline (a sweep over the work): each round runs the baseline, then every subject.
    public static async Task<IReadOnlyList<ScenarioResult>> CompareAsync(LoadTarget baseline,
        IReadOnlyList<LoadTarget> subjects, BenchOptions options, CancellationToken ct)
    {
        LoadTarget[] targets = [baseline, .. subjects];
        Console.Error.WriteLine($"  priming: one untimed run of {options.WarmUpSeconds + options.Seconds} s on each target");
        foreach (var target in targets)
            await PreparedMeasureAsync(target, target.CallersFor(options), options.WarmUp + options.Measured, TimeSpan.Zero, ct);

        var runs = targets.Select(_ => new List<LoadResult>()).ToArray();
        for (var round = 1; round <= options.Rounds; round++)
            for (var i = 0; i < targets.Length; i++)
                runs[i].Add(await RunAsync(targets[i], options, $"round {round}/{options.Rounds}", ct));

        return subjects.Select((subject, i) => new ScenarioResult(baseline.Label, subject.Label,
            runs[0].Zip(runs[i + 1], (b, s) => new RoundResult(b, s)).ToList())).ToList();
    }

    public static async Task<LoadResult> RunAsync(LoadTarget target, BenchOptions options, string step,
        CancellationToken ct)
    {
        var callers = target.CallersFor(options);
        Console.Error.WriteLine($"  {step} {target.Label}, {callers} callers: {options.WarmUpSeconds} s warm-up, {options.Seconds} s measured");
        var latencies = await PreparedMeasureAsync(target, callers, options.WarmUp, options.Measured, ct);
        return new LoadResult(latencies.Count, latencies.Count / options.Measured.TotalSeconds,
            Milliseconds(latencies.Percentile(0.50)), Milliseconds(latencies.Percentile(0.99)), callers);
    }

    static async Task<LatencyHistogram> PreparedMeasureAsync(LoadTarget target, int concurrency, TimeSpan warmUp,
        TimeSpan measured, CancellationToken ct)
    {
        if (target.Prepare is { } prepare)
            await prepare(warmUp + measured, ct);
        return await MeasureAsync(target, concurrency, warmUp, measured, ct);
    }

    static async Task<LatencyHistogram> MeasureAsync(LoadTarget target, int concurrency, TimeSpan warmUp,
        TimeSpan measured, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var measureFrom = Stopwatch.GetTimestamp() + Ticks(warmUp);
        var measureTo = measureFrom + Ticks(measured);
        var histograms = new LatencyHistogram[concurrency];
        Exception? failure = null;

        async Task Worker(int index)
        {
            var histogram = histograms[index] = new LatencyHistogram(); // one per worker: no sharing, no locks
            try
            {
                while (true)
                {
                    var started = Stopwatch.GetTimestamp();
                    await target.Call(stop.Token);
                    var finished = Stopwatch.GetTimestamp();
                    if (finished >= measureTo) return;
                    if (finished >= measureFrom) histogram.Record(finished - started);
                }
            }
            catch (Exception e)
            {
                // A failed call makes the figures meaningless: stop everyone and report the first cause.
                Interlocked.CompareExchange(ref failure, e, null);
                await stop.CancelAsync();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Task.Run(() => Worker(i), ct)));
        ct.ThrowIfCancellationRequested();
        if (failure is not null)
            throw new InvalidOperationException($"a call to {target.Label} failed: {failure.Message}", failure);

        var all = new LatencyHistogram();
        foreach (var histogram in histograms) all.Add(histogram);
        return all;
    }

    static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
