using Google.Protobuf.WellKnownTypes;
using Marketplace.Provider.V1;

namespace Marketplace.Provider.Domain;

// Free units per hourly slot, run-length encoded: a 90-day offer is a handful of runs, not 2,160 numbers.
public static class FreeRuns
{
    public static IEnumerable<FreeCapacityRun> Compress(long firstSlot, IReadOnlyList<int> free)
    {
        var i = 0;
        while (i < free.Count)
        {
            var j = i;
            while (j + 1 < free.Count && free[j + 1] == free[i])
                j++;
            yield return new FreeCapacityRun
            {
                Start = Timestamp.FromDateTimeOffset(Slots.Start(firstSlot + i)),
                Hours = j - i + 1,
                Free = free[i],
            };
            i = j + 1;
        }
    }
}
