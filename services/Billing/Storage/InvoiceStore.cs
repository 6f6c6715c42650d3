using Google.Protobuf;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// Billing periods and issued invoices: closing a period (close.lua), issuing an invoice once (invoice.lua),
// and the invoices still to publish. Postings are put in their buckets by ledger.lua.
public sealed class InvoiceStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    static readonly string CloseScript = EmbeddedLua.Read<InvoiceStore>("close.lua");
    static readonly string IssueScript = EmbeddedLua.Read<InvoiceStore>("invoice.lua");

    IDatabase Db => redis.GetDatabase();

    public async Task<DateTimeOffset> ClosedThroughAsync() => At((long?)await Db.StringGetAsync(BillingKeys.ClosedThrough) ?? 0);

    // Closes every period before `cut` at once; the buckets it retired (none when the cut is not past closed-through).
    public async Task<IReadOnlyList<DateTimeOffset>> CloseAsync(DateTimeOffset cut)
    {
        var retired = (RedisResult[])(await Db.ScriptEvaluateAsync(CloseScript,
            [BillingKeys.ClosedThrough, BillingKeys.Buckets, BillingKeys.Closing, BillingKeys.Cuts], [Ms(cut)]))!;
        await replicated.AfterAsync(BillingKeys.ClosedThrough);
        return retired.Select(r => At((long)r)).ToList();
    }

    // Closed buckets whose invoices are not all issued yet, with the cut that closed each.
    public async Task<IReadOnlyList<(DateTimeOffset Bucket, DateTimeOffset Cut)>> ClosingAsync() =>
        (await Db.HashGetAllAsync(BillingKeys.Closing)).Select(e => (At((long)e.Name), At((long)e.Value)))
        .OrderBy(c => c.Item1).ToList();

    public Task IssuedAllAsync(DateTimeOffset bucket) => Db.HashDeleteAsync(BillingKeys.Closing, Ms(bucket));

    public async Task<IReadOnlyList<string>> TenantsAsync(DateTimeOffset bucket) =>
        (await Db.SetMembersAsync(BillingKeys.BucketTenants(Ms(bucket)))).Select(t => (string)t!).Order(StringComparer.Ordinal).ToList();

    public Task<bool> HasPostingsAsync(DateTimeOffset bucket, string tenantId) =>
        Db.KeyExistsAsync(BillingKeys.BucketPostings(Ms(bucket), tenantId));

    // Open buckets starting before `before`, oldest first.
    public async Task<IReadOnlyList<DateTimeOffset>> OpenBucketsAsync(DateTimeOffset before) =>
        (await Db.SortedSetRangeByScoreAsync(BillingKeys.Buckets, double.NegativeInfinity, Ms(before), Exclude.Stop))
        .Select(b => At((long)b)).ToList();

    // Every cut made so far, oldest first.
    public async Task<IReadOnlyList<DateTimeOffset>> CutsAsync() =>
        (await Db.SortedSetRangeByRankAsync(BillingKeys.Cuts)).Select(c => At((long)c)).ToList();

    // Stores the invoice and gives it the next number, unless it was issued before: then the stored one,
    // and Issued false. `now` (real time) orders the invoices waiting to be published.
    public async Task<(Invoice Invoice, bool Issued)> IssueAsync(Invoice invoice, DateTimeOffset now)
    {
        var unnumbered = invoice.Clone();
        unnumbered.Number = 0;
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(IssueScript,
            [BillingKeys.Invoice(invoice.Id), BillingKeys.InvoiceSequence, BillingKeys.TenantInvoices(invoice.TenantId),
                BillingKeys.Log, BillingKeys.Unpublished],
            [invoice.Id, unnumbered.ToByteArray(), Ms(invoice.Period.Start.ToDateTimeOffset()), invoice.TenantId, Ms(now)]))!;
        await replicated.AfterAsync(BillingKeys.InvoiceSequence);
        return ((await InvoiceAsync(invoice.Id))!, (long)reply[0] == 1);
    }

    public Task<bool> IsIssuedAsync(string id) => Db.KeyExistsAsync(BillingKeys.Invoice(id));

    // An issued invoice, exactly as it was stored.
    public async Task<Invoice?> InvoiceAsync(string id)
    {
        var fields = await Db.HashGetAsync(BillingKeys.Invoice(id), ["p", "number"]);
        if (fields[0].IsNull)
            return null;
        var invoice = Invoice.Parser.ParseFrom((byte[])fields[0]!);
        invoice.Number = (long)fields[1];
        return invoice;
    }

    // The tenant's issued invoices whose periods start in [from, to], oldest first.
    public async Task<IReadOnlyList<Invoice>> TenantInvoicesAsync(string tenantId, DateTimeOffset from, DateTimeOffset to)
    {
        var ids = await Db.SortedSetRangeByScoreAsync(BillingKeys.TenantInvoices(tenantId), Ms(from), Ms(to));
        var invoices = await Task.WhenAll(ids.Select(id => InvoiceAsync(id!)));
        return invoices.OfType<Invoice>().ToList();
    }

    // Issued invoices not yet confirmed on the bus, issued before `before` (real time), oldest first.
    public async Task<IReadOnlyList<string>> UnpublishedAsync(DateTimeOffset before, int take) =>
        (await Db.SortedSetRangeByScoreAsync(BillingKeys.Unpublished, double.NegativeInfinity, Ms(before), Exclude.Stop, take: take))
        .Select(id => (string)id!).ToList();

    public Task PublishedAsync(string invoiceId) => Db.SortedSetRemoveAsync(BillingKeys.Unpublished, invoiceId);

    static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
