using System.Globalization;
using StackExchange.Redis;

namespace Marketplace.Provider.Storage;

// What each site leased and delivered, in accelerator-hours by market day, as the meter counts them:
//
//   provider:reliability:{dc}   hash   "<day>:l" accelerator-hours leased, "<day>:d" delivered
//
// Reliability is delivered / leased over the last Window days. A meter pass re-run after a crash may
// count an hour twice, on both sides alike: the share barely moves.
public sealed class ReliabilityStore(IConnectionMultiplexer redis)
{
    public const int Window = 30;

    IDatabase Db => redis.GetDatabase();

    static string Key(string datacenterId) => $"provider:reliability:{datacenterId}";

    public Task CountAsync(string datacenterId, long day, long leased, long delivered)
    {
        var batch = Db.CreateBatch();
        var tasks = new List<Task> { batch.HashIncrementAsync(Key(datacenterId), $"{day}:l", leased) };
        if (delivered > 0)
            tasks.Add(batch.HashIncrementAsync(Key(datacenterId), $"{day}:d", delivered));
        batch.Execute();
        return Task.WhenAll(tasks);
    }

    // Null when nothing was leased there in the window.
    public async Task<double?> OfAsync(string datacenterId, long today)
    {
        var (leased, delivered) = (0L, 0L);
        foreach (var entry in await Db.HashGetAllAsync(Key(datacenterId)))
        {
            var name = (string)entry.Name!;
            var colon = name.IndexOf(':');
            if (colon < 0 || !long.TryParse(name[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day <= today - Window)
                continue;
            if (name.EndsWith(":l", StringComparison.Ordinal))
                leased += (long)entry.Value;
            else
                delivered += (long)entry.Value;
        }
        return leased == 0 ? null : Math.Min(1.0, (double)delivered / leased);
    }
}
