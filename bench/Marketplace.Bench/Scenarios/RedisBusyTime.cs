using System.Globalization;
using StackExchange.Redis;

namespace Marketplace.Bench.Scenarios;

// How long Redis servers spent running commands (INFO commandstats: the usec of every command, summed),
// from a reset on: the Redis side of a workload, per master, whatever the client side costs.
static class RedisBusyTime
{
    public static async Task ResetAsync(IConnectionMultiplexer redis, IEnumerable<int>? ports = null)
    {
        foreach (var server in Servers(redis, ports))
            await server.ExecuteAsync("CONFIG", "RESETSTAT");
    }

    // Seconds each master (by port) spent on commands since the reset.
    public static async Task<IReadOnlyList<(int Port, double Seconds)>> ReadAsync(IConnectionMultiplexer redis, IEnumerable<int>? ports = null)
    {
        var busy = new List<(int, double)>();
        foreach (var server in Servers(redis, ports))
        {
            var info = (string?)await server.ExecuteAsync("INFO", "commandstats") ?? "";
            var usec = 0L;
            foreach (var line in info.Split('\n'))
                if (line.StartsWith("cmdstat_", StringComparison.Ordinal) && line.Split(',').FirstOrDefault(f => f.StartsWith("usec=", StringComparison.Ordinal)) is { } field)
                    usec += long.Parse(field["usec=".Length..], CultureInfo.InvariantCulture);
            busy.Add((((System.Net.IPEndPoint)server.EndPoint).Port, usec / 1e6));
        }
        return busy;
    }

    static IEnumerable<IServer> Servers(IConnectionMultiplexer redis, IEnumerable<int>? ports) =>
        ports is null ? redis.GetServers().Where(s => !s.IsReplica) : ports.Select(p => redis.GetServer("127.0.0.1", p));
}
