using Marketplace.Billing.Domain;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// The double-entry ledger and its event log, written only by ledger.lua, in shards by tenant (LedgerShards).
// Each posting also lands on one invoice: in the bucket of its usage hour's billing period, or, when that
// period is closed, in the open one after it (an adjustment). Postings of one shard made at the same time go
// to Redis together, one script call (one fsync) for a batch, each still applied once and atomically with
// its dedupe; shards write side by side.
public sealed class LedgerStore
{
    static readonly string Script = EmbeddedLua.Read<LedgerStore>("ledger.lua");
    const int KeysPerPosting = 9, ArgsPerPosting = 17;

    readonly IConnectionMultiplexer _redis;
    readonly BillingPeriods _periods;
    readonly ReplicatedWrites _replicated;
    readonly ProgramGrants _grants;
    readonly GroupCommit<(PostingRecord Posting, long VoucherShareFen), (bool Applied, long SubsidyFen)>[] _batches;

    // The closed-through the last batch of each shard saw. It moves once a period; a batch made against an
    // older one is refused by ledger.lua with the current value, and made again.
    readonly long[] _closedThroughMs;

    public LedgerStore(IConnectionMultiplexer redis, BillingPeriods periods, BillingOptions options, ReplicatedWrites replicated,
        LedgerShards shards, ProgramGrants grants)
    {
        (_redis, _periods, _replicated, _grants, Shards) = (redis, periods, replicated, grants, shards);
        _batches = shards.All.Select(shard => new GroupCommit<(PostingRecord, long), (bool, long)>(
            Math.Clamp(options.IngestBatchSize, 1, 1000), Math.Max(1, options.IngestFlushes), batch => WriteAsync(shard, batch))).ToArray();
        _closedThroughMs = new long[shards.Count];
    }

    public LedgerShards Shards { get; }

    IDatabase Db => _redis.GetDatabase();

    // One log entry of one shard. Posting is set when the entry carries the posting (packed, or as its
    // fields in entries written before the packing); the oldest entries name it by id only, to be read from
    // its hash. Cursor is the entry's id in its shard's stream.
    public sealed record LogLine(int Shard, string Cursor, string PostingId, string InvoiceId, string TenantId, string ProviderId,
        string HubId, PostingRecord? Posting = null);

    // Applies the posting once; false when its event was applied before (a redelivery or a re-publish).
    public Task<(bool Applied, long SubsidyFen)> PostAsync(PostingRecord posting, long voucherShareFen, CancellationToken ct = default) =>
        _batches[Shards.Of(posting.TenantId).Index].SubmitAsync((posting, voucherShareFen), ct);

    async Task<(bool Applied, long SubsidyFen)[]> WriteAsync(LedgerShard shard, IReadOnlyList<(PostingRecord Posting, long VoucherShareFen)> batch)
    {
        while (true)
        {
            var closedThrough = Interlocked.Read(ref _closedThroughMs[shard.Index]);
            var keys = new List<RedisKey>(6 + KeysPerPosting * batch.Count)
                { shard.Applied, shard.Balances, shard.Log, shard.ClosedThrough, shard.Buckets, shard.Posted };
            var args = new List<RedisValue>(2 + ArgsPerPosting * batch.Count) { closedThrough, batch.Count };
            foreach (var (posting, share) in batch)
            {
                var grant = share > 0 ? await _grants.OfAsync(shard.Index, posting.ProgramId) : default;
                Add(shard, posting, share, grant, BucketOf(posting, closedThrough), keys, args);
            }

            var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(Script, keys.ToArray(), args.ToArray()))!;
            switch ((string)reply[0]!)
            {
                case "ok":
                    await _replicated.AfterAsync(shard.Log);
                    return ((RedisResult[])reply[1]!).Select(r => (long)r is var subsidy && subsidy >= 0 ? (true, subsidy) : (false, 0L)).ToArray();
                case "moved":
                    Interlocked.Exchange(ref _closedThroughMs[shard.Index], reply[1].IsNull ? 0 : (long)reply[1]);
                    break;
                default: // short of a program's grant: ask for what the batch needs, then write it again
                    var targets = (RedisResult[])reply[1]!;
                    for (var i = 0; i < targets.Length; i += 2)
                        await _grants.RaiseAsync(shard.Index, batch[(int)targets[i] - 1].Posting.ProgramId, (long)targets[i + 1]);
                    break;
            }
        }
    }

    long BucketOf(PostingRecord posting, long closedThroughMs) => _periods.BucketOf(
        DateTimeOffset.FromUnixTimeMilliseconds(posting.IntervalStartMs), DateTimeOffset.FromUnixTimeMilliseconds(closedThroughMs))
        .ToUnixTimeMilliseconds();

    // One posting's keys and arguments, in the order ledger.lua reads them.
    static void Add(LedgerShard shard, PostingRecord posting, long voucherShareFen, ProgramGrants.Grant grant, long bucketMs,
        List<RedisKey> keys, List<RedisValue> args)
    {
        var accounts = AccountsOf(posting);
        foreach (var account in accounts)
            keys.Add(shard.Entries(account));
        keys.Add(shard.Voucher(posting.VoucherId));
        keys.Add(shard.ProgramSpend(posting.ProgramId));
        keys.Add(shard.Spend(posting.ProgramId));
        keys.Add(shard.BucketTenants(bucketMs));
        keys.Add(shard.BucketPostings(bucketMs, posting.TenantId));

        args.Add(posting.EventId);
        args.Add(posting.Id);
        args.Add(posting.AmountFen);
        args.Add(posting.FeeFen);
        args.Add(voucherShareFen);
        foreach (var account in accounts)
            args.Add(LedgerShard.BalanceField(account, posting.Currency));
        args.Add(LedgerShard.SpendField(posting.TenantId, posting.ProviderId));
        args.Add(posting.TenantId);
        args.Add(posting.ProviderId);
        args.Add(posting.HubId);
        args.Add(bucketMs);
        args.Add(grant.Fen);
        args.Add(grant.Exhausted ? 1 : 0);
        args.Add(PackedPosting.Pack(posting));
    }

    // The four accounts a posting touches: tenant, provider payable, platform fees, voucher fund.
    static string[] AccountsOf(PostingRecord posting) =>
    [
        Domain.Accounts.Tenant(posting.TenantId), Domain.Accounts.Provider(posting.ProviderId), Domain.Accounts.PlatformFees,
        Domain.Accounts.VoucherFund(posting.ProgramId),
    ];

    // An account's postings, oldest first: a tenant's from its shard; the provider's, platform's and a voucher
    // fund's are in every shard, merged by when they were posted.
    public async Task<IReadOnlyList<PostingRecord>> PostingsAsync(string account, long offset, long count)
    {
        if (ShardsHolding(account) is [var shard])
            return await PostingsAsync(shard, shard.Entries(account), offset, count);
        var upTo = count < 0 ? -1 : offset + count;
        var all = await Task.WhenAll(Shards.All.Select(shard => PostingsAsync(shard, shard.Entries(account), 0, upTo)));
        var merged = all.SelectMany(p => p).OrderBy(p => p.PostedMs).ThenBy(p => p.Id, StringComparer.Ordinal).Skip((int)offset);
        return (count < 0 ? merged : merged.Take((int)count)).ToList();
    }

    // The postings of one tenant's invoice: those in its bucket.
    public async Task<IReadOnlyList<PostingRecord>> InvoicePostingsAsync(DateTimeOffset bucket, string tenantId)
    {
        var shard = Shards.Of(tenantId);
        return await PostingsAsync(shard, shard.BucketPostings(bucket.ToUnixTimeMilliseconds(), tenantId), 0, -1);
    }

    async Task<IReadOnlyList<PostingRecord>> PostingsAsync(LedgerShard shard, RedisKey list, long offset, long count)
    {
        var ids = await Db.ListRangeAsync(list, offset, count < 0 ? -1 : offset + count - 1);
        return (await PostingsByIdAsync(shard, ids.Select(id => (string)id!).ToList())).OfType<PostingRecord>().ToList();
    }

    // The shards an account has entries in: a tenant's one, every shard for the others.
    IReadOnlyList<LedgerShard> ShardsHolding(string account) =>
        Domain.Accounts.TenantOf(account) is { } tenant ? [Shards.Of(tenant)] : Shards.All;

    // One account's balances in fen, by currency, summed over the shards.
    public async Task<IReadOnlyList<(string Currency, long Fen)>> BalancesAsync(string account)
    {
        var prefix = LedgerShard.BalanceField(account, "");
        var balances = await Task.WhenAll(ShardsHolding(account).Select(shard => Db.HashGetAllAsync(shard.Balances)));
        return balances.SelectMany(b => b)
            .Where(e => ((string)e.Name!).StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(e => ((string)e.Name!)[prefix.Length..], StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(e => (long)e.Value))).ToList();
    }

    public async Task<long> AppliedCountAsync() => (await Task.WhenAll(Shards.All.Select(s => Db.SetLengthAsync(s.Applied)))).Sum();

    // One shard's log lines after `cursor` (exclusive; "" from the start), oldest first.
    public async Task<IReadOnlyList<LogLine>> LogAfterAsync(LedgerShard shard, string cursor, int count, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var from = cursor.Length == 0 ? "-" : "(" + cursor;
        var entries = await Db.StreamRangeAsync(shard.Log, from, "+", count);
        return entries.Select(e => BillingLogEntry.Parse(shard.Index, e)).ToList();
    }

    // The newest entry id of a shard's log ("0-0" when empty), to follow only what comes next.
    public async Task<string> LastCursorAsync(LedgerShard shard)
    {
        var last = await Db.StreamRangeAsync(shard.Log, "-", "+", 1, Order.Descending);
        return last.Length == 0 ? "0-0" : last[0].Id!;
    }

    // Several postings of one shard, null where one is missing: where each is, from the posted index, then
    // the log entries that hold them, and the hashes of postings from before the index, in one pipelined
    // batch (two round trips, not one per id).
    public async Task<IReadOnlyList<PostingRecord?>> PostingsByIdAsync(LedgerShard shard, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
            return [];
        var at = await Db.HashGetAsync(shard.Posted, ids.Select(id => (RedisValue)id).ToArray());
        var batch = Db.CreateBatch();
        var reads = ids.Select((id, i) => at[i].IsNull
            ? FromHash(batch.HashGetAllAsync(shard.Posting(id)))
            : FromLog(batch.StreamRangeAsync(shard.Log, at[i], at[i], 1))).ToList();
        batch.Execute();
        return await Task.WhenAll(reads);

        // Awaited, not continued: a Redis fault reaches the caller as itself, not wrapped.
        static async Task<PostingRecord?> FromHash(Task<HashEntry[]> read) =>
            await read is { Length: > 0 } fields ? PostingRecord.FromFields(fields) : null;
        async Task<PostingRecord?> FromLog(Task<StreamEntry[]> read) =>
            await read is [var entry] ? BillingLogEntry.Parse(shard.Index, entry).Posting : null;
    }
}
