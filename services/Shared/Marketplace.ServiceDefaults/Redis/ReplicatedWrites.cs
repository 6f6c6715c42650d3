using System.Collections.Concurrent;
using System.Net;
using StackExchange.Redis;

namespace Marketplace.ServiceDefaults.Redis;

// A Redis master answers a write before its replicas have it. Killed at that moment, it takes the write
// with it when a replica is promoted (Redis Cluster, Sentinel), though the caller was told it happened: a
// hold confirmed twice over, a posting billed again or never. So the writes the market promises to keep
// (holds, accepts, leases, postings) wait until the master's replicas have them (WAIT) before they are
// answered or acknowledged. A master with no replica connected has nothing that could be promoted without
// the write; its own AOF keeps it. A replica that does not confirm in time is a transient fault: the caller
// retries, and every such write is idempotent.
public sealed class ReplicatedWrites(IConnectionMultiplexer redis, int replicas, TimeSpan timeout)
{
    // How long a master's count of connected replicas is trusted before it is asked again.
    static readonly TimeSpan CountFor = TimeSpan.FromSeconds(1);

    readonly ConcurrentDictionary<EndPoint, (int Count, long AtMs)> _connected = new();

    // Waits until the replicas of the masters that hold `keys` have every write this process made there:
    // once per master, however many of the keys it holds. With no replicas asked for, nothing waits.
    public async Task AfterAsync(params RedisKey[] keys)
    {
        if (replicas <= 0)
            return;
        var db = redis.GetDatabase();
        var masters = new HashSet<EndPoint>();
        foreach (var key in keys)
            if (await db.IdentifyEndpointAsync(key) is { } endpoint && masters.Add(endpoint))
                await WaitAsync(endpoint);
    }

    async Task WaitAsync(EndPoint endpoint)
    {
        var server = redis.GetServer(endpoint);
        var wanted = Math.Min(replicas, await ConnectedAsync(server, endpoint));
        if (wanted == 0)
            return;
        var confirmed = (long)await server.ExecuteAsync("WAIT", wanted, (long)timeout.TotalMilliseconds);
        if (confirmed < wanted)
        {
            _connected.TryRemove(endpoint, out _); // a replica may have gone: count again next time
            throw new ReplicasBehindException(
                $"{confirmed} of {wanted} replicas of {endpoint} confirmed a write within {timeout.TotalMilliseconds:0} ms");
        }
    }

    async Task<int> ConnectedAsync(IServer server, EndPoint endpoint)
    {
        var now = Environment.TickCount64;
        if (_connected.TryGetValue(endpoint, out var known) && now - known.AtMs < CountFor.TotalMilliseconds)
            return known.Count;
        var info = (string?)await server.ExecuteAsync("INFO", "replication") ?? "";
        var count = 0;
        foreach (var line in info.Split('\n'))
            if (line.StartsWith("connected_slaves:", StringComparison.Ordinal))
                count = int.Parse(line.AsSpan("connected_slaves:".Length).Trim());
        _connected[endpoint] = (count, now);
        return count;
    }
}

// Transient (a TimeoutException): the write is on the master and the caller's retry finds it there.
public sealed class ReplicasBehindException(string message) : TimeoutException(message);
