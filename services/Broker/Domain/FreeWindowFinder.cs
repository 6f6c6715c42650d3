using Marketplace.Provider.V1;

namespace Marketplace.Broker.Domain;

// Searches an offer's free-capacity runs for hourly windows inside [earliest, deadline).
public static class FreeWindowFinder
{
    // The earliest run of `hours` consecutive slots, each with at least `units` free.
    public static DateTimeOffset? Earliest(IEnumerable<FreeCapacityRun> runs, int units, int hours,
        DateTimeOffset earliest, DateTimeOffset deadline)
    {
        DateTimeOffset? spanStart = null;
        var spanEnd = DateTimeOffset.MinValue;
        foreach (var run in runs.OrderBy(r => r.Start.Seconds))
        {
            var runStart = run.Start.ToDateTimeOffset();
            var runEnd = runStart.AddHours(run.Hours);
            if (run.Free < units || runEnd <= earliest)
            {
                spanStart = null;
                continue;
            }
            if (spanStart is null || runStart != spanEnd)
                spanStart = runStart > earliest ? runStart : earliest;
            spanEnd = runEnd;
            if (spanStart.Value.AddHours(hours) <= spanEnd)
                return spanStart.Value.AddHours(hours) <= deadline ? spanStart : null;
        }
        return null;
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
