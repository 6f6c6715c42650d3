using Google.Protobuf;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// Billing periods and issued invoices, in each shard of the ledger: closing a period (close.lua), issuing
// an invoice once (number.lua, then invoice.lua), and the invoices still to publish. Postings are put in
// their buckets by ledger.lua. What names a tenant goes to the tenant's shard; the rest is asked per shard.
public sealed class InvoiceStore(IConnectionMultiplexer redis, ReplicatedWrites replicated, LedgerShards shards)
{
    static readonly string CloseScript = EmbeddedLua.Read<InvoiceStore>("close.lua");
    static readonly string NumberScript = EmbeddedLua.Read<InvoiceStore>("number.lua");
    static readonly string IssueScript = EmbeddedLua.Read<InvoiceStore>("invoice.lua");

    IDatabase Db => redis.GetDatabase();

    public LedgerShards Shards => shards;

    public async Task<DateTimeOffset> ClosedThroughAsync(LedgerShard shard) => At((long?)await Db.StringGetAsync(shard.ClosedThrough) ?? 0);

    public Task<DateTimeOffset> ClosedThroughAsync(string tenantId) => ClosedThroughAsync(shards.Of(tenantId));

    // Closes every period of the shard before `cut` at once; the buckets it retired (none when the cut is not past closed-through).
    public async Task<IReadOnlyList<DateTimeOffset>> CloseAsync(LedgerShard shard, DateTimeOffset cut)
    {
        var retired = (RedisResult[])(await Db.ScriptEvaluateAsync(CloseScript,
            [shard.ClosedThrough, shard.Buckets, shard.Closing, shard.Cuts], [Ms(cut)]))!;
        await replicated.AfterAsync(shard.ClosedThrough);
        return retired.Select(r => At((long)r)).ToList();
    }

    // The shard's closed buckets whose invoices are not all issued yet, with the cut that closed each.
    public async Task<IReadOnlyList<(DateTimeOffset Bucket, DateTimeOffset Cut)>> ClosingAsync(LedgerShard shard) =>
        (await Db.HashGetAllAsync(shard.Closing)).Select(e => (At((long)e.Name), At((long)e.Value)))
        .OrderBy(c => c.Item1).ToList();

    public Task IssuedAllAsync(LedgerShard shard, DateTimeOffset bucket) => Db.HashDeleteAsync(shard.Closing, Ms(bucket));

    public async Task<IReadOnlyList<string>> TenantsAsync(LedgerShard shard, DateTimeOffset bucket) =>
        (await Db.SetMembersAsync(shard.BucketTenants(Ms(bucket)))).Select(t => (string)t!).Order(StringComparer.Ordinal).ToList();

    public Task<bool> HasPostingsAsync(DateTimeOffset bucket, string tenantId) =>
        Db.KeyExistsAsync(shards.Of(tenantId).BucketPostings(Ms(bucket), tenantId));

    // The tenant's shard's open buckets starting before `before`, oldest first.
    public async Task<IReadOnlyList<DateTimeOffset>> OpenBucketsAsync(string tenantId, DateTimeOffset before) =>
        (await Db.SortedSetRangeByScoreAsync(shards.Of(tenantId).Buckets, double.NegativeInfinity, Ms(before), Exclude.Stop))
        .Select(b => At((long)b)).ToList();

    // Every cut made so far in the tenant's shard, oldest first.
    public async Task<IReadOnlyList<DateTimeOffset>> CutsAsync(string tenantId) =>
        (await Db.SortedSetRangeByRankAsync(shards.Of(tenantId).Cuts)).Select(c => At((long)c)).ToList();

    // Stores the invoice with its number, unless it was issued before: then the stored one, and Issued
    // false. `now` (real time) orders the invoices waiting to be published.
    public async Task<(Invoice Invoice, bool Issued)> IssueAsync(Invoice invoice, DateTimeOffset now)
    {
        var shard = shards.Of(invoice.TenantId);
        var number = (long)(await Db.ScriptEvaluateAsync(NumberScript, [BillingKeys.InvoiceSequence, BillingKeys.InvoiceNumbers], [invoice.Id]))!;
        await replicated.AfterAsync(BillingKeys.InvoiceSequence);
        var unnumbered = invoice.Clone();
        unnumbered.Number = 0;
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(IssueScript,
            [shard.Invoice(invoice.Id), shard.TenantInvoices(invoice.TenantId), shard.Log, shard.Unpublished],
            [invoice.Id, unnumbered.ToByteArray(), Ms(invoice.Period.Start.ToDateTimeOffset()), invoice.TenantId, Ms(now), number]))!;
        await replicated.AfterAsync(shard.Invoice(invoice.Id));
        return ((await InvoiceAsync(invoice.Id))!, (long)reply[0] == 1);
    }

    public Task<bool> IsIssuedAsync(string id) =>
        ShardOfInvoice(id) is { } shard ? Db.KeyExistsAsync(shard.Invoice(id)) : Task.FromResult(false);

    // An issued invoice, exactly as it was stored.
    public async Task<Invoice?> InvoiceAsync(string id)
    {
        if (ShardOfInvoice(id) is not { } shard)
            return null;
        var fields = await Db.HashGetAsync(shard.Invoice(id), ["p", "number"]);
        if (fields[0].IsNull)
            return null;
        var invoice = Invoice.Parser.ParseFrom((byte[])fields[0]!);
        invoice.Number = (long)fields[1];
        return invoice;
    }

    // The tenant's issued invoices whose periods start in [from, to], oldest first.
    public async Task<IReadOnlyList<Invoice>> TenantInvoicesAsync(string tenantId, DateTimeOffset from, DateTimeOffset to)
    {
        var ids = await Db.SortedSetRangeByScoreAsync(shards.Of(tenantId).TenantInvoices(tenantId), Ms(from), Ms(to));
        var invoices = await Task.WhenAll(ids.Select(id => InvoiceAsync(id!)));
        return invoices.OfType<Invoice>().ToList();
    }

    // The shard's issued invoices not yet confirmed on the bus, issued before `before` (real time), oldest first.
    public async Task<IReadOnlyList<string>> UnpublishedAsync(LedgerShard shard, DateTimeOffset before, int take) =>
        (await Db.SortedSetRangeByScoreAsync(shard.Unpublished, double.NegativeInfinity, Ms(before), Exclude.Stop, take: take))
        .Select(id => (string)id!).ToList();

    public async Task PublishedAsync(string invoiceId)
    {
        if (ShardOfInvoice(invoiceId) is { } shard)
            await Db.SortedSetRemoveAsync(shard.Unpublished, invoiceId);
    }

    // An invoice id names its tenant ("inv.<tenant>.<start>.<end>", InvoiceDesk.IdOf), and so its shard.
    LedgerShard? ShardOfInvoice(string id) => id.Split('.') is ["inv", var tenant, _, _] ? shards.Of(tenant) : null;

    static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
