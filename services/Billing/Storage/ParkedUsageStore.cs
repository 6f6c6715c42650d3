using Google.Protobuf;
using Marketplace.Events.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// Usage that arrived before its lease: kept until the lease's LeaseCreated comes (the bus does not
// order events from different producers), then applied like any other.
public sealed class ParkedUsageStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    // Parks only while the lease is still unknown, in one step, so a LeaseCreated stored a moment later
    // always finds what was parked before it.
    const string ParkScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[4])
        return 1
        """;

    // Takes one applied usage out, and the lease's parking place with its last one.
    const string DoneScript = """
        redis.call('HDEL', KEYS[1], ARGV[2])
        if redis.call('HLEN', KEYS[1]) == 0 then redis.call('ZREM', KEYS[2], ARGV[1]) end
        return 0
        """;

    IDatabase Db => redis.GetDatabase();

    // False when the lease is known after all: apply the usage now.
    public async Task<bool> ParkAsync(UsageRecorded usage, long nowMs)
    {
        var parked = (long)(await Db.ScriptEvaluateAsync(ParkScript,
            [BillingKeys.Lease(usage.LeaseId), BillingKeys.Parked(usage.LeaseId), BillingKeys.ParkedLeases],
            [usage.EventId, usage.ToByteArray(), nowMs, usage.LeaseId]))! == 1;
        await replicated.AfterAsync(BillingKeys.ParkedLeases);
        return parked;
    }

    public async Task<IReadOnlyList<UsageRecorded>> ForLeaseAsync(string leaseId) =>
        (await Db.HashGetAllAsync(BillingKeys.Parked(leaseId)))
        .Select(e => UsageRecorded.Parser.ParseFrom((byte[])e.Value!)).ToList();

    public Task DoneAsync(string leaseId, string eventId) =>
        Db.ScriptEvaluateAsync(DoneScript, [BillingKeys.Parked(leaseId), BillingKeys.ParkedLeases], [leaseId, eventId]);

    public async Task<IReadOnlyList<string>> LeasesAsync(int take) =>
        (await Db.SortedSetRangeByRankAsync(BillingKeys.ParkedLeases, 0, take - 1)).Select(v => (string)v!).ToList();
}
