using System.Diagnostics;

namespace Marketplace.Bench;

// A closed-loop load generator: each of N workers awaits one call at a time, so throughput and latency
// come from the same calls. Calls that finish in the warm-up are not counted; neither are those that
// finish after the measured period.
public static class LoadRunner
{
    public static async Task<ScenarioResult> CompareAsync(LoadTarget baseline, LoadTarget subject,
        BenchOptions options, CancellationToken ct)
    {
        var before = await RunAsync(baseline, options, "1/3", ct);
        var measured = await RunAsync(subject, options, "2/3", ct);
        var after = await RunAsync(baseline, options, "3/3", ct);
        return new ScenarioResult(baseline.Label, subject.Label, before, measured, after);
    }

    public static async Task<LoadResult> RunAsync(LoadTarget target, BenchOptions options, string step,
        CancellationToken ct)
    {
        Console.Error.WriteLine($"  {step} {target.Label}: {options.WarmUpSeconds} s warm-up, {options.Seconds} s measured");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var measureFrom = Stopwatch.GetTimestamp() + Ticks(options.WarmUp);
        var measureTo = measureFrom + Ticks(options.Measured);
        var histograms = new LatencyHistogram[options.Concurrency];
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

        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(i => Task.Run(() => Worker(i), ct)));
        ct.ThrowIfCancellationRequested();
        if (failure is not null)
            throw new InvalidOperationException($"a call to {target.Label} failed: {failure.Message}", failure);

        var all = new LatencyHistogram();
        foreach (var histogram in histograms) all.Add(histogram);
        return new LoadResult(all.Count, all.Count / options.Measured.TotalSeconds,
            Milliseconds(all.Percentile(0.50)), Milliseconds(all.Percentile(0.99)));
    }

    static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
