using Marketplace.Billing.V1;
using Marketplace.Events.V1;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;

namespace Marketplace.Integration.Tests.Billing;

[Collection(MarketCollection.Name)]
public sealed class Metering_usage(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;
    BillingService.BillingServiceClient Billing => _market.BillingClient;

    [Fact]
    public async Task The_same_event_delivered_five_times_changes_the_ledger_once()
    {
        await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
        var tenant = Samples.UniqueId("tenant-redeliver");
        var provider = Samples.UniqueId("provider-redeliver");
        var lease = BillingSteps.Lease(tenant, pricePerHour: 12.34m, provider: provider);
        await bus.OpenAsync(lease);

        var usage = BillingSteps.Usage(lease, hour: 0);
        for (var i = 0; i < 5; i++)
            await bus.PublishAsync(usage);
        await bus.PublishAsync(BillingSteps.Usage(lease, hour: 1)); // a different hour counts

        Assert.Equal(2 * 24.68m, await Billing.SettledTenantBalanceAsync(tenant, 2 * 24.68m)); // 2 accelerators x 12.34, twice
        Assert.Equal(-2 * (24.68m - 2.47m), await Billing.BalanceAsync(AccountKind.ProviderPayable, provider)); // less a 10% fee
    }

    [Fact]
    public async Task Every_posting_balances_and_the_invoice_ties_to_the_ledger_to_the_fen()
    {
        await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
        var tenant = Samples.UniqueId("tenant-invoice");
        var lease = BillingSteps.Lease(tenant, pricePerHour: 7.77m);
        await bus.OpenAsync(lease);
        for (var hour = 0; hour < 7; hour++)
            await bus.PublishAsync(BillingSteps.Usage(lease, hour, acceleratorSeconds: 2 * 3600 - hour * 61)); // odd amounts

        var expected = Enumerable.Range(0, 7).Sum(h => Math.Round((2 * 3600 - h * 61) * 7.77m / 3600, 2, MidpointRounding.AwayFromZero));
        Assert.Equal(expected, await Billing.SettledTenantBalanceAsync(tenant, expected));

        var entries = await Billing.ListLedgerEntriesAsync(new ListLedgerEntriesRequest
        {
            Account = new AccountRef { Kind = AccountKind.Tenant, OwnerId = tenant },
        });
        Assert.Equal(7, entries.Entries.Count);
        Assert.Equal(expected, entries.Entries.Sum(e => e.Amount.ToDecimal()));

        var invoice = (await Billing.ListInvoicesAsync(new ListInvoicesRequest
        {
            TenantId = tenant,
            Period = new Common.V1.TimeWindow { Start = BillingSteps.At(BillingSteps.Hour0), End = BillingSteps.At(BillingSteps.Hour0.AddDays(1)) },
        })).Invoices.Single();
        var line = Assert.Single(invoice.Lines);
        Assert.Equal(expected, invoice.Total.ToDecimal());
        Assert.Equal(expected, invoice.TenantDue.ToDecimal());
        Assert.Equal(lease.Id, line.LeaseId);
        Assert.Equal(Enumerable.Range(0, 7).Sum(h => 2 * 3600 - h * 61) / 3600.0, line.AcceleratorHours, precision: 9);
        Assert.Equal(invoice.Id, (await Billing.GetInvoiceAsync(new GetInvoiceRequest { InvoiceId = invoice.Id })).Id);

        await using var watch = new WatchClient(Billing, new WatchBillingEventsRequest { TenantId = tenant });
        var events = await watch.TakeAsync(7);
        Assert.All(events, e => Assert.Equal(0m, e.Posting.Entries.Sum(x => x.Amount.ToDecimal())));
    }

    [Fact]
    public async Task Usage_too_small_to_earn_a_fee_still_leaves_a_whole_posting()
    {
        await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
        var tenant = Samples.UniqueId("tenant-tiny");
        var lease = BillingSteps.Lease(tenant, pricePerHour: 9.87m);
        await bus.OpenAsync(lease);

        await bus.PublishAsync(BillingSteps.Usage(lease, hour: 0, acceleratorSeconds: 1));  // 0.0027 yuan: 0 fen
        await bus.PublishAsync(BillingSteps.Usage(lease, hour: 1, acceleratorSeconds: 7));  // 2 fen, fee rounds to 0
        await bus.PublishAsync(BillingSteps.Usage(lease, hour: 2, acceleratorSeconds: 3600));

        Assert.Equal(9.89m, await Billing.SettledTenantBalanceAsync(tenant, 9.89m));
        var entries = await Billing.ListLedgerEntriesAsync(new ListLedgerEntriesRequest
        {
            Account = new AccountRef { Kind = AccountKind.Tenant, OwnerId = tenant },
        });
        Assert.Equal(3, entries.Entries.Count); // every usage is on the record, even one worth nothing
    }

    [Fact]
    public async Task Bad_usage_goes_to_the_error_queue_counted_and_the_consumer_keeps_going()
    {
        await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
        const string errors = "billing-usage-recorded_error";
        var before = await CountOrZero(errors);
        var poisonBefore = ServiceDefaults.Bus.BusMetrics.PoisonTotal;
        var tenant = Samples.UniqueId("tenant-poison");
        var lease = BillingSteps.Lease(tenant, pricePerHour: 1m);
        var dollars = BillingSteps.Lease(tenant, pricePerHour: 1m, currency: "USD");
        await bus.OpenAsync(lease);
        await bus.OpenAsync(dollars);

        await bus.PublishAsync(BillingSteps.Usage(lease, hour: 0, acceleratorSeconds: -3600));     // negative quantity
        await bus.PublishAsync(BillingSteps.Usage(dollars, hour: 0));                              // unknown currency
        var stray = BillingSteps.Usage(lease, hour: 2);
        stray.HoldId = "no-such-offer~hold";
        stray.EventId = $"usage:{stray.HoldId}:{Guid.NewGuid():N}";
        await bus.PublishAsync(stray);                                                              // unknown allocation
        await bus.PublishAsync(BillingSteps.Usage(lease, hour: 1));                                 // good

        Assert.Equal(2m, await Billing.SettledTenantBalanceAsync(tenant, 2m));
        await Eventually.TrueAsync(async () => await CountOrZero(errors) >= before + 3, "three bad usages in the error queue");
        Assert.True(ServiceDefaults.Bus.BusMetrics.PoisonTotal >= poisonBefore + 3);
    }

    async Task<uint> CountOrZero(string queue)
    {
        try { return await RabbitMqAdmin.MessageCountAsync(_market.Servers.RabbitMqUri, queue); }
        catch (InvalidOperationException) { return 0; }
    }
}
