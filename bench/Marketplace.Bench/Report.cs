using System.Runtime;
using System.Runtime.InteropServices;

namespace Marketplace.Bench;

// The printed table: every run, the baseline mean, and the subject/baseline ratios.
public static class Report
{
    // Beyond this the baseline moved more than most effects worth measuring.
    const double DriftWarning = 0.10;
    const string Row = "  {0,-42} {1,10} {2,12} {3,9} {4,9}";

    public static void PrintMachine(BenchOptions options)
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, " +
                          $"{RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.FrameworkDescription}, " +
                          $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Console.WriteLine($"load: {options.Concurrency} concurrent callers, closed loop; each run " +
                          $"{options.WarmUpSeconds} s warm-up + {options.Seconds} s measured; client and servers share the cores");
    }

    public static void Print(IScenario scenario, ScenarioResult result)
    {
        Console.WriteLine();
        Console.WriteLine($"{scenario.Name}: {scenario.Description}");
        Console.WriteLine(Row, "run", result.Unit == "requests" ? "calls" : result.Unit, $"{result.Unit}/s", "p50 ms", "p99 ms");
        Print($"{result.BaselineLabel} (baseline, before)", result.BaselineBefore);
        Print(result.SubjectLabel, result.Subject);
        Print($"{result.BaselineLabel} (baseline, after)", result.BaselineAfter);
        Print($"{result.BaselineLabel} (baseline, mean)", result.Baseline);
        Console.WriteLine(Row, $"ratio {result.SubjectLabel} / baseline", "",
            Ratio(result.ThroughputRatio), Ratio(result.P50Ratio), Ratio(result.P99Ratio));
        Console.WriteLine($"  baseline drift, after vs before: {result.BaselineDrift:+0.0%;-0.0%} {result.Unit}/s" +
                          (Math.Abs(result.BaselineDrift) > DriftWarning ? " -- the machine was not steady; the ratios are unreliable, run again" : ""));
        foreach (var note in result.Notes)
            Console.WriteLine($"  {note}");
    }

    static void Print(string label, LoadResult run) =>
        Console.WriteLine(Row, label, run.Calls.ToString("N0"), run.RequestsPerSecond.ToString("N0"),
            Figure(run.P50Ms, "0.000"), Figure(run.P99Ms, "0.000"));

    // A throughput-only scenario (a queue drained) has no per-call latency: NaN, shown as "-".
    static string Figure(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format);

    // Three decimals below 0.1, so a subject hundreds of times slower than its baseline does not print 0.00x.
    static string Ratio(double value) => double.IsNaN(value) ? "-" : value < 0.1 ? $"{value:0.000}x" : $"{value:0.00}x";
}
