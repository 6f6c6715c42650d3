using Marketplace.ServiceDefaults.Redis;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;

namespace Marketplace.Integration.Tests.Faults;

// ReplicatedWrites against a real master and replica: a master with no replica has nothing to wait for;
// with one, a write is answered once the replica has it; a replica that stalls (SIGSTOP) makes the write
// a transient fault (ReplicasBehindException, a TimeoutException) instead of a promise a failover breaks;
// and once it goes on, writes wait and pass again.
public sealed class Writes_waiting_for_a_replica
{
    static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Wait_for_a_connected_replica_and_fail_as_transient_while_it_stalls()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var ct = cancel.Token;
        await using var master = await RedisServerProcess.StartAsync(ct);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(master.ConnectionString);
        var db = redis.GetDatabase();
        var writes = new ReplicatedWrites(redis, replicas: 1, Timeout);

        // No replica: nothing that could be promoted without the write.
        await db.StringSetAsync("hold:1", "confirmed");
        await writes.AfterAsync("hold:1");

        await using var replica = await RedisServerProcess.StartAsync(ct, "--replicaof", "127.0.0.1", master.Port.ToString());
        await using var replicaRedis = await ConnectionMultiplexer.ConnectAsync(replica.ConnectionString);
        await Eventually.TrueAsync(async () => ((string?)await redis.GetServer(redis.GetEndPoints()[0]).ExecuteAsync("INFO", "replication"))!
            .Contains("state=online"), "the replica to be in sync", TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1.2), ct); // past the cached count of connected replicas

        // In sync: the write is on the replica when AfterAsync returns.
        await db.StringSetAsync("hold:2", "confirmed");
        await writes.AfterAsync("hold:2");
        Assert.Equal("confirmed", (string?)await replicaRedis.GetDatabase().StringGetAsync("hold:2"));

        // Stalled: the write stays on the master alone, and the caller hears of it as a transient fault.
        replica.Pause();
        try
        {
            await db.StringSetAsync("hold:3", "confirmed");
            var behind = await Assert.ThrowsAsync<ReplicasBehindException>(() => writes.AfterAsync("hold:3"));
            Assert.IsAssignableFrom<TimeoutException>(behind);
            Assert.Contains("0 of 1 replicas", behind.Message);
        }
        finally
        {
            replica.Resume();
        }

        // Going on: the retried write waits and passes.
        await Eventually.TrueAsync(async () =>
        {
            await db.StringSetAsync("hold:3", "confirmed");
            try { await writes.AfterAsync("hold:3"); return true; }
            catch (ReplicasBehindException) { return false; }
        }, "the replica to confirm writes again", TimeSpan.FromSeconds(20));
        Assert.Equal("confirmed", (string?)await replicaRedis.GetDatabase().StringGetAsync("hold:3"));
    }
}
