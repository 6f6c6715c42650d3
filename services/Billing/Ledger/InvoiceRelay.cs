using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.Events.V1;
using Marketplace.ServiceDefaults.Bus;
using Marketplace.ServiceDefaults.Time;
using MassTransit;
using Marketplace.ServiceDefaults.Replicas;

namespace Marketplace.Billing.Ledger;

// Publishes InvoiceIssued for every issued invoice until RabbitMQ confirms it. The issuer sends each at
// once; what that misses (a crash, RabbitMQ away, a deadline) the periodic pass sends later, for as long
// as it takes. The event id is made from the invoice id, so a second send is the same fact.
public sealed class InvoiceRelay(InvoiceStore store, IBus bus, BillingOptions options, ILogger<InvoiceRelay> logger, RunnerLease runner)
    : PeriodicWork(options.InvoiceRelayInterval, logger, runAtStart: true, runOnce: runner)
{
    const int Batch = 200;

    public static InvoiceIssued EventOf(Invoice invoice) =>
        new() { EventId = $"invoice-issued:{invoice.Id}", OccurredAt = invoice.IssuedAt, Invoice = invoice };

    // Tries to publish now, within the relay's own deadline; never throws: the invoice is already stored.
    public async Task SendNowAsync(Invoice invoice)
    {
        try
        {
            await PublishAsync(invoice, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning("InvoiceIssued for {InvoiceId} waits for the relay: {Reason}", invoice.Id, ex.Message);
        }
    }

    protected override async Task TickAsync(CancellationToken ct)
    {
        // Only invoices older than one send's deadline: younger ones are still being sent by their issuer.
        var before = DateTimeOffset.UtcNow - options.InvoiceSendTimeout;
        foreach (var shard in store.Shards.All)
            await RelayAsync(shard, before, ct);
    }

    async Task RelayAsync(LedgerShard shard, DateTimeOffset before, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var due = await store.UnpublishedAsync(shard, before, Batch);
            foreach (var id in due)
            {
                if (await store.InvoiceAsync(id) is not { } invoice)
                {
                    await store.PublishedAsync(id); // nothing stored to announce
                    continue;
                }
                await PublishAsync(invoice, ct);
                logger.LogInformation("Relayed InvoiceIssued for {InvoiceId}", id);
            }
            if (due.Count < Batch)
                return;
        }
    }

    async Task PublishAsync(Invoice invoice, CancellationToken ct)
    {
        await bus.PublishWithinAsync(EventOf(invoice), options.InvoiceSendTimeout, ct);
        await store.PublishedAsync(invoice.Id);
    }
}
