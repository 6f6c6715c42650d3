using Marketplace.Provider.V1;

namespace Marketplace.Broker.Domain;

// Searches an offer's free-capacity runs for hourly windows inside [earliest, deadline).
public static class FreeWindowFinder
{
    // The earliest run of `hours` consecutive slots, each with at least `units` free. Works in Unix
    // seconds: runs are whole hours, and a quote looks at many of them.
    public static DateTimeOffset? Earliest(IReadOnlyList<FreeCapacityRun> runs, int units, int hours,
        DateTimeOffset earliest, DateTimeOffset deadline)
    {
        long from = earliest.ToUnixTimeSeconds(), until = deadline.ToUnixTimeSeconds(), length = hours * 3600L;
        long spanStart = long.MinValue, spanEnd = long.MinValue;
        foreach (var run in InStartOrder(runs))
        {
            var runStart = run.Start.Seconds;
            var runEnd = runStart + run.Hours * 3600L;
            if (run.Free < units || runEnd <= from)
            {
                spanStart = long.MinValue;
                continue;
            }
            if (spanStart == long.MinValue || runStart != spanEnd)
                spanStart = Math.Max(runStart, from);
            spanEnd = runEnd;
            if (spanStart + length <= spanEnd)
                return spanStart + length > until ? null
                    : spanStart == from ? earliest : DateTimeOffset.FromUnixTimeSeconds(spanStart);
        }
        return null;
    }

    // The provider sends runs in start order; sort only when they are not.
    static IReadOnlyList<FreeCapacityRun> InStartOrder(IReadOnlyList<FreeCapacityRun> runs)
    {
        for (var i = 1; i < runs.Count; i++)
            if (runs[i].Start.Seconds < runs[i - 1].Start.Seconds)
                return runs.OrderBy(r => r.Start.Seconds).ToList();
        return runs;
    }

    // The most units free through a whole window of `hours`, and the earliest window that has them.
    // The best window starts at `earliest` or where a run starts, so only those starts are tried.
    public static (int Units, DateTimeOffset Start) MostFree(IReadOnlyCollection<FreeCapacityRun> runs, int hours,
        DateTimeOffset earliest, DateTimeOffset deadline)
    {
        var sorted = runs.Select(r => (Start: r.Start.ToDateTimeOffset(), r.Hours, r.Free)).OrderBy(r => r.Start).ToList();
        var best = (Units: 0, Start: earliest);
        var starts = sorted.Select(r => r.Start).Where(s => s > earliest).Prepend(earliest);
        foreach (var start in starts)
        {
            var end = start.AddHours(hours);
            if (end > deadline)
                break;
            var covered = start;
            var min = int.MaxValue;
            foreach (var run in sorted)
            {
                var runEnd = run.Start.AddHours(run.Hours);
                if (runEnd <= start || run.Start >= end)
                    continue;
                if (run.Start > covered)
                    break; // a gap: no capacity in some hour
                min = Math.Min(min, run.Free);
                covered = runEnd;
                if (covered >= end)
                    break;
            }
            if (covered >= end && min > best.Units)
                best = (min, start);
        }
        return best;
    }
}
