using Marketplace.Billing.Domain;
using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Billing.Ledger;

// Closes billing periods and issues their invoices, shard by shard of the ledger, every shard at the same
// cuts. Closing a shard is one atomic step (close.lua) after which no posting lands in its closed buckets;
// each tenant's invoice is then issued once (invoice.lua) and announced. A crash anywhere in between
// leaves the bucket in `closing`: the next pass (at start-up, then every InvoiceCloseInterval) issues what
// is missing, and InvoiceRelay publishes what RabbitMQ has not confirmed.
public sealed class BillingPeriodDesk(InvoiceStore store, InvoiceDesk invoices, InvoiceRelay relay, BillingPeriods periods,
    TimeProvider clock, ILogger<BillingPeriodDesk> logger)
{
    readonly SemaphoreSlim _issuing = new(1, 1);

    // Every period that has ended on the market clock.
    public async Task CloseEndedAsync(CancellationToken ct)
    {
        var cut = periods.StartOf(clock.GetUtcNow());
        foreach (var shard in store.Shards.All)
            await store.CloseAsync(shard, cut);
        await IssuePendingAsync(ct);
    }

    // The current period, early: everything before the current hour. Returns the invoices of what it closed,
    // and how far every shard is closed.
    public async Task<(DateTimeOffset ClosedThrough, IReadOnlyList<Invoice> Issued)> CloseNowAsync(CancellationToken ct)
    {
        var cut = WholeHours.Floor(clock.GetUtcNow());
        var retired = new List<(LedgerShard, DateTimeOffset)>();
        foreach (var shard in store.Shards.All)
            retired.AddRange((await store.CloseAsync(shard, cut)).Select(bucket => (shard, bucket)));
        await IssuePendingAsync(ct);
        // Read back rather than collected above: a periodic pass may have issued some of them meanwhile.
        var issued = new List<Invoice>();
        foreach (var (shard, bucket) in retired)
            foreach (var tenant in await store.TenantsAsync(shard, bucket))
                if (await store.InvoiceAsync(InvoiceDesk.IdOf(tenant, bucket, periods.EndOfClosed(bucket, cut))) is { } invoice)
                    issued.Add(invoice);
        var closedThrough = await Task.WhenAll(store.Shards.All.Select(store.ClosedThroughAsync));
        return (closedThrough.Min(), issued);
    }

    // Each closed bucket's invoices, oldest bucket first (an adjustment names the invoice it adjusts).
    async Task IssuePendingAsync(CancellationToken ct)
    {
        await _issuing.WaitAsync(ct);
        try
        {
            foreach (var shard in store.Shards.All)
                foreach (var (bucket, cut) in await store.ClosingAsync(shard))
                {
                    var end = periods.EndOfClosed(bucket, cut);
                    foreach (var tenant in await store.TenantsAsync(shard, bucket))
                        await IssueAsync(tenant, bucket, end);
                    await store.IssuedAllAsync(shard, bucket);
                }
        }
        finally
        {
            _issuing.Release();
        }
    }

    async Task IssueAsync(string tenant, DateTimeOffset bucket, DateTimeOffset end)
    {
        if (await store.IsIssuedAsync(InvoiceDesk.IdOf(tenant, bucket, end)))
            return; // issued before a crash; InvoiceRelay publishes it if RabbitMQ never confirmed it
        var (invoice, issuedNow) = await store.IssueAsync(await invoices.ToIssueAsync(tenant, bucket, end), DateTimeOffset.UtcNow);
        if (!issuedNow)
            return; // another billing issued it a moment ago
        logger.LogInformation("Invoice {InvoiceId} number {Number} issued to {TenantId}", invoice.Id, invoice.Number, tenant);
        await relay.SendNowAsync(invoice);
    }
}
