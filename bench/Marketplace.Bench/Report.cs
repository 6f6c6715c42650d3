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
        Console.WriteLine(Row, "run", "calls", "requests/s", "p50 ms", "p99 ms");
        Print($"{result.BaselineLabel} (baseline, before)", result.BaselineBefore);
        Print(result.SubjectLabel, result.Subject);
        Print($"{result.BaselineLabel} (baseline, after)", result.BaselineAfter);
        Print($"{result.BaselineLabel} (baseline, mean)", result.Baseline);
        Console.WriteLine(Row, $"ratio {result.SubjectLabel} / baseline", "",
            $"{result.ThroughputRatio:0.00}x", $"{result.P50Ratio:0.00}x", $"{result.P99Ratio:0.00}x");
        Console.WriteLine($"  baseline drift, after vs before: {result.BaselineDrift:+0.0%;-0.0%} requests/s" +
                          (Math.Abs(result.BaselineDrift) > DriftWarning ? " -- the machine was not steady; the ratios are unreliable, run again" : ""));
    }

    static void Print(string label, LoadResult run) =>
        Console.WriteLine(Row, label, run.Calls.ToString("N0"), run.RequestsPerSecond.ToString("N0"),
            run.P50Ms.ToString("0.000"), run.P99Ms.ToString("0.000"));
}
