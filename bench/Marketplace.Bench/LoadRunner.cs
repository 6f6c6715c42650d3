using System.Diagnostics;

namespace Marketplace.Bench;

// A closed-loop load generator: each of N workers awaits one call at a time, so throughput and latency
// come from the same calls. Calls that finish in the warm-up are not counted; neither are those that
// finish after the measured period.
public static class LoadRunner
{
    // Measured on this 2-core machine: a fresh process runs at a quarter of its steady rate for its first
    // ~12 s (tiered JIT, RabbitMQ finishing its boot), so both targets get untimed load, alternately, first.
    const int PrimingRounds = 5;

    public static async Task<ScenarioResult> CompareAsync(LoadTarget baseline, LoadTarget subject,
        BenchOptions options, CancellationToken ct)
    {
        Console.Error.WriteLine($"  priming: {PrimingRounds} rounds of {options.WarmUpSeconds} s on each target, untimed");
        for (var round = 0; round < PrimingRounds; round++)
        {
            await PreparedMeasureAsync(baseline, options.Concurrency, options.WarmUp, TimeSpan.Zero, ct);
            await PreparedMeasureAsync(subject, options.Concurrency, options.WarmUp, TimeSpan.Zero, ct);
        }

        var before = await RunAsync(baseline, options, "1/3", ct);
        var measured = await RunAsync(subject, options, "2/3", ct);
        var after = await RunAsync(baseline, options, "3/3", ct);
        return new ScenarioResult(baseline.Label, subject.Label, before, measured, after);
    }

    public static async Task<LoadResult> RunAsync(LoadTarget target, BenchOptions options, string step,
        CancellationToken ct)
    {
        Console.Error.WriteLine($"  {step} {target.Label}: {options.WarmUpSeconds} s warm-up, {options.Seconds} s measured");
        var latencies = await PreparedMeasureAsync(target, options.Concurrency, options.WarmUp, options.Measured, ct);
        return new LoadResult(latencies.Count, latencies.Count / options.Measured.TotalSeconds,
            Milliseconds(latencies.Percentile(0.50)), Milliseconds(latencies.Percentile(0.99)));
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
