using System.Runtime;
using System.Runtime.InteropServices;

namespace Marketplace.Bench;

// The printed tables: every round, each subject's median ratios to its same-round baseline, the baseline's
// drift, and for a sweep how the subject's cost grows with the work.
public static class Report
{
    // Beyond this the baseline moved more than most effects worth measuring.
    const double DriftWarning = 0.10;
    const string Row = "  {0,-5} {1,-44} {2,7} {3,10} {4,12} {5,9} {6,9} {7,9} {8,9}";
    const string GrowthRow = "  {0,-16} {1,12} {2,9} {3,9} {4,9} {5,9} {6,12} {7,12}";

    public static void PrintMachine(BenchOptions options)
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, " +
                          $"{RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.FrameworkDescription}, " +
                          $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Console.WriteLine($"load: closed loop, {options.Concurrency} callers unless a row says otherwise; {options.Rounds} rounds of " +
                          $"baseline and subject alternating after one untimed priming run each; each run {options.WarmUpSeconds} s warm-up + " +
                          $"{options.Seconds} s measured; client and servers share the cores");
    }

    public static void Print(IScenario scenario, ScenarioOutcome outcome)
    {
        Console.WriteLine();
        Console.WriteLine($"{scenario.Name}: {scenario.Description}");
        Console.WriteLine($"  baseline: {scenario.Baseline}");
        if (outcome.Rows.Count > 0)
        {
            PrintRounds(outcome.Rows);
            foreach (var row in outcome.Rows.DistinctBy(r => r.Rounds[0].Baseline))
                PrintDrift(row);
        }
        foreach (var result in outcome.Rows)
            PrintSummary(result);
        if (outcome.Rows.Count > 1)
            PrintGrowth(outcome.Rows);
        foreach (var note in outcome.Notes)
            Console.WriteLine($"  {note}");
    }

    // Round by round, the baseline first and then each subject with its ratios to that round's baseline.
    static void PrintRounds(IReadOnlyList<ScenarioResult> rows)
    {
        var unit = rows[0].Unit;
        Console.WriteLine(Row, "round", "run", "callers", unit == "requests" ? "calls" : unit, $"{unit}/s", "p50 ms", "p99 ms",
            "x /s", "x p99");
        for (var round = 0; round < rows[0].Rounds.Count; round++)
        {
            // Rows share a baseline unless a scenario compared each against one of its own (the snapshot's echo sizes).
            LoadResult? baseline = null;
            foreach (var row in rows)
            {
                if (!ReferenceEquals(baseline, row.Rounds[round].Baseline))
                    Print(round + 1, $"{row.BaselineLabel} (baseline)", baseline = row.Rounds[round].Baseline, null);
                Print(round + 1, Label(row), row.Rounds[round].Subject, row.Rounds[round]);
            }
        }
    }

    static void PrintSummary(ScenarioResult result)
    {
        var rounds = result.Rounds;
        Console.WriteLine($"  {Label(result)} / {result.BaselineLabel}, median of {rounds.Count} rounds: " +
                          $"throughput {Ratio(result.ThroughputRatio)}, p50 {Ratio(result.P50Ratio)}, p99 {Ratio(result.P99Ratio)}" +
                          $"  (per round: throughput {string.Join(" ", rounds.Select(r => Ratio(r.ThroughputRatio)))}" +
                          (double.IsNaN(result.P99Ratio) ? "" : $"; p99 {string.Join(" ", rounds.Select(r => Ratio(r.P99Ratio)))}") + ")");
        foreach (var note in result.Notes)
            Console.WriteLine($"    {note}");
    }

    // One table across the sweep: the subject's own figures, its ratios, and each against the smallest work.
    static void PrintGrowth(IReadOnlyList<ScenarioResult> rows)
    {
        var first = rows[0].Subject;
        Console.WriteLine($"  how {rows[0].SubjectLabel} grows with the work (medians; \"vs first\" against the {rows[0].Work} row):");
        Console.WriteLine(GrowthRow, "work", $"{rows[0].Unit}/s", "p50 ms", "p99 ms", "x /s", "x p99", "/s vs first", "p99 vs first");
        foreach (var row in rows)
        {
            var subject = row.Subject;
            Console.WriteLine(GrowthRow, row.Work, subject.RequestsPerSecond.ToString("N0"), Figure(subject.P50Ms), Figure(subject.P99Ms),
                Ratio(row.ThroughputRatio), Ratio(row.P99Ratio),
                Ratio(subject.RequestsPerSecond / first.RequestsPerSecond), Ratio(subject.P99Ms / first.P99Ms));
        }
    }

    static void Print(int round, string label, LoadResult run, RoundResult? ratios) =>
        Console.WriteLine(Row, round, label, run.Callers == 0 ? "-" : run.Callers.ToString(), run.Calls.ToString("N0"),
            run.RequestsPerSecond.ToString("N0"), Figure(run.P50Ms), Figure(run.P99Ms),
            ratios is null ? "" : Ratio(ratios.ThroughputRatio), ratios is null ? "" : Ratio(ratios.P99Ratio));

    static void PrintDrift(ScenarioResult result) =>
        Console.WriteLine($"  baseline drift ({result.BaselineLabel}), last round vs first: {result.BaselineDrift:+0.0%;-0.0%} {result.Unit}/s, " +
                          $"widest swing {result.BaselineSpread:0.0%} of its median" +
                          (Math.Abs(result.BaselineDrift) > DriftWarning || result.BaselineSpread > 2 * DriftWarning
                              ? " -- the machine was not steady; the ratios are unreliable, run again" : ""));

    static string Label(ScenarioResult row) => row.Work is null ? row.SubjectLabel : $"{row.SubjectLabel}, {row.Work}";

    // A throughput-only scenario (a queue drained) has no per-call latency: NaN, shown as "-".
    static string Figure(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000");

    // Three decimals below 0.1, so a subject hundreds of times slower than its baseline does not print 0.00x.
    public static string Ratio(double value) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "-" : value < 0.1 ? $"{value:0.000}x" : $"{value:0.00}x";
}
