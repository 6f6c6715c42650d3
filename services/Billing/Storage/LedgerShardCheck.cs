using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// A tenant's shard is its id's hash modulo the shard count, so the count must never change under a ledger
// with data: the first billing to start records it, and billing refuses to start with another count
// (or split a ledger that already has postings in its one shard).
public sealed class LedgerShardCheck(IConnectionMultiplexer redis, LedgerShards shards) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var db = redis.GetDatabase();
        var recorded = (int?)await db.StringGetAsync(BillingKeys.ShardCount);
        if (recorded is null && shards.Count > 1 && await db.KeyExistsAsync(new LedgerShard(0, BillingKeys.GlobalTag).Applied))
            throw new InvalidOperationException(
                $"The ledger has postings in one shard and Billing:LedgerShards is {shards.Count}: set it to 1");
        if (recorded is null && await db.StringSetAsync(BillingKeys.ShardCount, shards.Count, when: When.NotExists))
            return;
        recorded ??= (int)await db.StringGetAsync(BillingKeys.ShardCount); // another billing recorded it a moment ago
        if (recorded != shards.Count)
            throw new InvalidOperationException(
                $"The ledger is split into {recorded} shards and Billing:LedgerShards is {shards.Count}: set it to {recorded}");
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
