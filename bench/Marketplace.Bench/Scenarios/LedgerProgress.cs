using Marketplace.Billing;
using Marketplace.Billing.Storage;
using StackExchange.Redis;

namespace Marketplace.Bench.Scenarios;

// How many usage events a billing's ledger has applied: the applied sets of its shards, summed.
public sealed class LedgerProgress(IDatabase db, int shards = 1)
{
    readonly RedisKey[] _applied = new LedgerShards(new BillingOptions { LedgerShards = shards }).All.Select(s => s.Applied).ToArray();

    public IDatabase Db => db;

    public async Task<long> AppliedAsync()
    {
        var applied = 0L;
        foreach (var key in _applied)
            applied += await db.SetLengthAsync(key);
        return applied;
    }
}
