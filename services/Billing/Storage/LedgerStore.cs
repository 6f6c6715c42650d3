using Marketplace.Billing.Domain;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// The double-entry ledger and its event log, written only by ledger.lua. Each posting also lands on one
// invoice: in the bucket of its usage hour's billing period, or, when that period is closed, in the
// open one after it (an adjustment). Postings made at the same time go to Redis together, one script
// call (one fsync) for a batch, each still applied once and atomically with its dedupe.
public sealed class LedgerStore
{
    static readonly string Script = EmbeddedLua.Read<LedgerStore>("ledger.lua");
    const int KeysPerPosting = 10;

    readonly IConnectionMultiplexer _redis;
    readonly BillingPeriods _periods;
    readonly ReplicatedWrites _replicated;
    readonly GroupCommit<(PostingRecord Posting, long VoucherShareFen), (bool Applied, long SubsidyFen)> _batches;

    // The closed-through the last batch saw. It moves once a period; a batch made against an older one is
    // refused by ledger.lua with the current value, and made again.
    long _closedThroughMs;

    public LedgerStore(IConnectionMultiplexer redis, BillingPeriods periods, BillingOptions options, ReplicatedWrites replicated)
    {
        (_redis, _periods, _replicated) = (redis, periods, replicated);
        _batches = new(Math.Clamp(options.IngestBatchSize, 1, 1000), Math.Max(1, options.IngestFlushes), WriteAsync);
    }

    IDatabase Db => _redis.GetDatabase();

    // One log entry. Posting is set when the entry carries the posting's own fields (PostingRecord.ToFields
    // plus subsidy); entries without them name the posting by id only, to be read from its hash.
    public sealed record LogLine(string Cursor, string PostingId, string InvoiceId, string TenantId, string ProviderId, string HubId,
        PostingRecord? Posting = null);

    // Applies the posting once; false when its event was applied before (a redelivery or a re-publish).
    public Task<(bool Applied, long SubsidyFen)> PostAsync(PostingRecord posting, long voucherShareFen, CancellationToken ct = default) =>
        _batches.SubmitAsync((posting, voucherShareFen), ct);

    async Task<(bool Applied, long SubsidyFen)[]> WriteAsync(IReadOnlyList<(PostingRecord Posting, long VoucherShareFen)> batch)
    {
        while (true)
        {
            var closedThrough = Interlocked.Read(ref _closedThroughMs);
            var keys = new List<RedisKey>(5 + KeysPerPosting * batch.Count)
                { BillingKeys.Applied, BillingKeys.Balances, BillingKeys.Log, BillingKeys.ClosedThrough, BillingKeys.Buckets };
            var args = new List<RedisValue>(2 + 56 * batch.Count) { closedThrough, batch.Count };
            foreach (var (posting, share) in batch)
                Add(posting, share, BucketOf(posting, closedThrough), keys, args);

            var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(Script, keys.ToArray(), args.ToArray()))!;
            if ((string)reply[0]! == "ok")
            {
                await _replicated.AfterAsync(BillingKeys.Log);
                return ((RedisResult[])reply[1]!).Select(r => (long)r is var subsidy && subsidy >= 0 ? (true, subsidy) : (false, 0L)).ToArray();
            }
            Interlocked.Exchange(ref _closedThroughMs, reply[1].IsNull ? 0 : (long)reply[1]);
        }
    }

    long BucketOf(PostingRecord posting, long closedThroughMs) => _periods.BucketOf(
        DateTimeOffset.FromUnixTimeMilliseconds(posting.IntervalStartMs), DateTimeOffset.FromUnixTimeMilliseconds(closedThroughMs))
        .ToUnixTimeMilliseconds();

    // One posting's keys and arguments, in the order ledger.lua reads them.
    static void Add(PostingRecord posting, long voucherShareFen, long bucketMs, List<RedisKey> keys, List<RedisValue> args)
    {
        var accounts = AccountsOf(posting);
        keys.Add(BillingKeys.Posting(posting.Id));
        foreach (var account in accounts)
            keys.Add(BillingKeys.Entries(account));
        keys.Add(BillingKeys.Voucher(posting.VoucherId));
        keys.Add(BillingKeys.Program(posting.ProgramId));
        keys.Add(BillingKeys.Spend(posting.ProgramId));
        keys.Add(BillingKeys.BucketTenants(bucketMs));
        keys.Add(BillingKeys.BucketPostings(bucketMs, posting.TenantId));

        args.Add(posting.EventId);
        args.Add(posting.Id);
        args.Add(posting.AmountFen);
        args.Add(posting.FeeFen);
        args.Add(voucherShareFen);
        foreach (var account in accounts)
            args.Add(BillingKeys.BalanceField(account, posting.Currency));
        args.Add(BillingKeys.SpendField(posting.TenantId, posting.ProviderId));
        args.Add(posting.TenantId);
        args.Add(posting.ProviderId);
        args.Add(posting.HubId);
        args.Add(bucketMs);
        var fields = posting.ToFields();
        args.Add(fields.Length);
        foreach (var field in fields)
        {
            args.Add(field.Name);
            args.Add(field.Value);
        }
    }

    // The four accounts a posting touches: tenant, provider payable, platform fees, voucher fund.
    static string[] AccountsOf(PostingRecord posting) =>
    [
        Domain.Accounts.Tenant(posting.TenantId), Domain.Accounts.Provider(posting.ProviderId), Domain.Accounts.PlatformFees,
        Domain.Accounts.VoucherFund(posting.ProgramId),
    ];

    public async Task<PostingRecord?> PostingAsync(string id)
    {
        var fields = await Db.HashGetAllAsync(BillingKeys.Posting(id));
        return fields.Length == 0 ? null : PostingRecord.FromFields(fields);
    }

    public async Task<IReadOnlyList<PostingRecord>> PostingsAsync(string account, long offset, long count) =>
        await PostingsAsync(BillingKeys.Entries(account), offset, count);

    // The postings of one tenant's invoice: those in its bucket.
    public async Task<IReadOnlyList<PostingRecord>> InvoicePostingsAsync(DateTimeOffset bucket, string tenantId) =>
        await PostingsAsync(BillingKeys.BucketPostings(bucket.ToUnixTimeMilliseconds(), tenantId), 0, -1);

    async Task<IReadOnlyList<PostingRecord>> PostingsAsync(RedisKey list, long offset, long count)
    {
        var ids = await Db.ListRangeAsync(list, offset, count < 0 ? -1 : offset + count - 1);
        var postings = await Task.WhenAll(ids.Select(id => PostingAsync(id!)));
        return postings.OfType<PostingRecord>().ToList();
    }

    // One account's balances in fen, by currency.
    public async Task<IReadOnlyList<(string Currency, long Fen)>> BalancesAsync(string account)
    {
        var prefix = BillingKeys.BalanceField(account, "");
        return (await Db.HashGetAllAsync(BillingKeys.Balances))
            .Where(e => ((string)e.Name!).StartsWith(prefix, StringComparison.Ordinal))
            .Select(e => (((string)e.Name!)[prefix.Length..], (long)e.Value)).ToList();
    }

    public async Task<long> AppliedCountAsync() => await Db.SetLengthAsync(BillingKeys.Applied);

    // Log lines after `cursor` (exclusive; "" from the start), oldest first.
    public async Task<IReadOnlyList<LogLine>> LogAfterAsync(string cursor, int count, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var from = cursor.Length == 0 ? "-" : "(" + cursor;
        var entries = await Db.StreamRangeAsync(BillingKeys.Log, from, "+", count);
        return entries.Select(BillingLogEntry.Parse).ToList();
    }

    // The newest cursor, to follow only what comes next.
    public async Task<string> LastCursorAsync()
    {
        var last = await Db.StreamRangeAsync(BillingKeys.Log, "-", "+", 1, Order.Descending);
        return last.Length == 0 ? "0-0" : last[0].Id!;
    }

    // Several postings read in one pipelined batch (one round trip, not one per id); null where one is missing.
    public async Task<IReadOnlyList<PostingRecord?>> PostingsByIdAsync(IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
            return [];
        var batch = Db.CreateBatch();
        var reads = ids.Select(id => batch.HashGetAllAsync(BillingKeys.Posting(id))).ToList();
        batch.Execute();
        var replies = await Task.WhenAll(reads);
        return replies.Select(fields => fields.Length == 0 ? null : PostingRecord.FromFields(fields)).ToList();
    }
}
