using StackExchange.Redis;

namespace Marketplace.Bench.Scenarios;

// Lua calls (EVAL/EVALSHA) Redis ran and the time it spent in them, from INFO commandstats: read before and
// after a run, it says how much of the run's Redis time went to scripts (the provider's calendar.lua).
public sealed record RedisScriptStats(long Calls, long Microseconds)
{
    public static async Task<RedisScriptStats> ReadAsync(string connectionString)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var section = (await server.InfoAsync("commandstats")).SelectMany(group => group)
            .Where(e => e.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Select(e => e.Value.Split(',').Select(f => f.Split('=')).ToDictionary(kv => kv[0], kv => long.Parse(kv[1].Split('.')[0])))
            .ToList();
        return new RedisScriptStats(section.Sum(s => s["calls"]), section.Sum(s => s["usec"]));
    }

    public static RedisScriptStats operator -(RedisScriptStats after, RedisScriptStats before) =>
        new(after.Calls - before.Calls, after.Microseconds - before.Microseconds);
}
