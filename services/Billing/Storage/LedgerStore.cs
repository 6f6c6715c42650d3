using System.Globalization;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// The double-entry ledger and its event log, written only by ledger.lua.
public sealed class LedgerStore(IConnectionMultiplexer redis)
{
    static readonly string Script = EmbeddedLua.Read<LedgerStore>("ledger.lua");

    IDatabase Db => redis.GetDatabase();

    public sealed record LogLine(string Cursor, string PostingId, string TenantId, string ProviderId, string HubId);

    // Applies the posting once; false when its event was applied before (a redelivery or a re-publish).
    public async Task<(bool Applied, long SubsidyFen)> PostAsync(PostingRecord posting, long voucherShareFen)
    {
        var accounts = new[]
        {
            $"tenant:{posting.TenantId}", $"provider:{posting.ProviderId}", Domain.Accounts.PlatformFees,
            Domain.Accounts.VoucherFund(posting.ProgramId),
        };
        RedisKey[] keys =
        [
            BillingKeys.Applied, BillingKeys.Balances, BillingKeys.Log, BillingKeys.Posting(posting.Id),
            .. accounts.Select(BillingKeys.Entries),
            BillingKeys.Voucher(posting.VoucherId), BillingKeys.Program(posting.ProgramId), BillingKeys.Spend(posting.ProgramId),
        ];
        RedisValue[] args =
        [
            posting.EventId, posting.Id, posting.AmountFen, posting.FeeFen, voucherShareFen, posting.Currency,
            posting.TenantId, posting.ProviderId, posting.ProgramId,
            .. posting.ToFields().SelectMany(f => new[] { f.Name, f.Value }),
        ];
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(Script, keys, args))!;
        return (string)reply[0]! == "ok" ? (true, (long)reply[2]) : (false, 0);
    }

    public async Task<PostingRecord?> PostingAsync(string id)
    {
        var fields = await Db.HashGetAllAsync(BillingKeys.Posting(id));
        return fields.Length == 0 ? null : PostingRecord.FromFields(fields);
    }

    public async Task<IReadOnlyList<PostingRecord>> PostingsAsync(string account, long offset, long count)
    {
        var ids = await Db.ListRangeAsync(BillingKeys.Entries(account), offset, count < 0 ? -1 : offset + count - 1);
        var postings = await Task.WhenAll(ids.Select(id => PostingAsync(id!)));
        return postings.OfType<PostingRecord>().ToList();
    }

    // Balances of every account in fen, by "<account>|<currency>".
    public async Task<IReadOnlyDictionary<string, long>> BalancesAsync() =>
        (await Db.HashGetAllAsync(BillingKeys.Balances)).ToDictionary(e => (string)e.Name!, e => (long)e.Value);

    public async Task<long> AppliedCountAsync() => await Db.SetLengthAsync(BillingKeys.Applied);

    // Log lines after `cursor` (exclusive; "" from the start), oldest first.
    public async Task<IReadOnlyList<LogLine>> LogAfterAsync(string cursor, int count)
    {
        var from = cursor.Length == 0 ? "-" : "(" + cursor;
        var entries = await Db.StreamRangeAsync(BillingKeys.Log, from, "+", count);
        return entries.Select(e => new LogLine(e.Id!, e["pid"]!, e["tenant"]!, e["provider"]!, e["hub"]!)).ToList();
    }

    // The newest cursor, to follow only what comes next.
    public async Task<string> LastCursorAsync()
    {
        var last = await Db.StreamRangeAsync(BillingKeys.Log, "-", "+", 1, Order.Descending);
        return last.Length == 0 ? "0-0" : last[0].Id!;
    }
}
