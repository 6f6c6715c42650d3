using Marketplace.Billing.Domain;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// The double-entry ledger and its event log, written only by ledger.lua. Each posting also lands on one
// invoice: in the bucket of its usage hour's billing period, or, when that period is closed, in the
// open one after it (an adjustment).
public sealed class LedgerStore(IConnectionMultiplexer redis, BillingPeriods periods)
{
    static readonly string Script = EmbeddedLua.Read<LedgerStore>("ledger.lua");

    // The closed-through the last posting saw. It moves once a period; a posting made against an older
    // one is refused by ledger.lua with the current value, and made again.
    long _closedThroughMs;

    IDatabase Db => redis.GetDatabase();

    // One log entry. Posting is set when the entry carries the posting's own fields (PostingRecord.ToFields
    // plus subsidy); entries without them name the posting by id only, to be read from its hash.
    public sealed record LogLine(string Cursor, string PostingId, string InvoiceId, string TenantId, string ProviderId, string HubId,
        PostingRecord? Posting = null);

    // Applies the posting once; false when its event was applied before (a redelivery or a re-publish).
    public async Task<(bool Applied, long SubsidyFen)> PostAsync(PostingRecord posting, long voucherShareFen)
    {
        while (true)
        {
            var closedThrough = Interlocked.Read(ref _closedThroughMs);
            var bucket = BucketOf(posting, closedThrough);
            var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(Script, Keys(posting, bucket),
                Args(posting, voucherShareFen, closedThrough, bucket)))!;
            switch ((string)reply[0]!)
            {
                case "ok": return (true, (long)reply[2]);
                case "duplicate": return (false, 0);
                default:
                    Interlocked.Exchange(ref _closedThroughMs, reply[1].IsNull ? 0 : (long)reply[1]);
                    break;
            }
        }
    }

    long BucketOf(PostingRecord posting, long closedThroughMs) => periods.BucketOf(
        DateTimeOffset.FromUnixTimeMilliseconds(posting.IntervalStartMs), DateTimeOffset.FromUnixTimeMilliseconds(closedThroughMs))
        .ToUnixTimeMilliseconds();

    static RedisKey[] Keys(PostingRecord posting, long bucketMs) =>
    [
        BillingKeys.Applied, BillingKeys.Balances, BillingKeys.Log, BillingKeys.Posting(posting.Id),
        .. AccountsOf(posting).Select(BillingKeys.Entries),
        BillingKeys.Voucher(posting.VoucherId), BillingKeys.Program(posting.ProgramId), BillingKeys.Spend(posting.ProgramId),
        BillingKeys.ClosedThrough, BillingKeys.Buckets, BillingKeys.BucketTenants(bucketMs),
        BillingKeys.BucketPostings(bucketMs, posting.TenantId),
    ];

    static RedisValue[] Args(PostingRecord posting, long voucherShareFen, long closedThroughMs, long bucketMs) =>
    [
        posting.EventId, posting.Id, posting.AmountFen, posting.FeeFen, voucherShareFen,
        .. AccountsOf(posting).Select(account => (RedisValue)BillingKeys.BalanceField(account, posting.Currency)),
        BillingKeys.SpendField(posting.TenantId, posting.ProviderId),
        posting.TenantId, posting.ProviderId, posting.HubId, closedThroughMs, bucketMs,
        .. posting.ToFields().SelectMany(f => new[] { f.Name, f.Value }),
    ];

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
