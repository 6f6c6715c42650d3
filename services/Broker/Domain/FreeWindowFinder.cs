using Marketplace.Provider.V1;

namespace Marketplace.Broker.Domain;

// Finds the earliest run of `hours` consecutive hourly slots, each with at least `units` free,
// inside [earliest, deadline).
public static class FreeWindowFinder
{
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
}
