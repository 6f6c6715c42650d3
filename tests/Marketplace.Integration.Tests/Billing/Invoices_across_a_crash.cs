using Google.Protobuf;
using Marketplace.Billing.Ledger;
using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.Common.V1;
using Marketplace.Testing.Market;
using StackExchange.Redis;

namespace Marketplace.Integration.Tests.Billing;

// A billing of its own stops where a crash would leave it: a period closed, one tenant's invoice stored
// but never published, another tenant's not yet stored. The billing started after it must end with each
// invoice issued exactly once, numbered without a gap, and announced on the bus.
[Collection(MarketCollection.Name)]
public sealed class Invoices_across_a_crash(MarketFixture fixture)
{
    const int Database = 15; // free: the fixture uses 0-3, Billing_periods_on_an_accelerated_clock 4, the CLI tests 5, the fault tests 6-14
    static readonly DateTimeOffset Epoch = new(2032, 6, 15, 10, 30, 0, TimeSpan.Zero); // the market's time at the anchor
    static readonly DateTimeOffset Month = new(2032, 6, 1, 0, 0, 0, TimeSpan.Zero);    // its billing period
    static readonly DateTimeOffset Cut = new(2032, 6, 15, 10, 0, 0, TimeSpan.Zero);    // closed early here

    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Ends_with_every_invoice_issued_once_and_published_after_the_restart()
    {
        await OwnBilling.EmptyAsync(_market, Database);
        var prefix = Samples.UniqueId("billing-invoice-crash");
        (string, string?)[] clock = [("MarketClock:Anchor", DateTimeOffset.UtcNow.ToString("O")), ("MarketClock:Epoch", Epoch.ToString("O"))];
        var (stored, unstored) = (Samples.UniqueId("tenant-stored"), Samples.UniqueId("tenant-unstored"));

        Invoice before;
        await using (var crashing = await OwnBilling.StartAsync(_market, Database, prefix,
                         [.. clock, ("Billing:InvoiceCloseInterval", "01:00:00"), ("Billing:InvoiceRelayInterval", "01:00:00")]))
        {
            await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
            foreach (var tenant in new[] { stored, unstored })
            {
                var lease = BillingSteps.Lease(tenant, pricePerHour: 5m);
                await bus.OpenAsync(lease);
                var usage = BillingSteps.Usage(lease, hour: 0);
                usage.Interval = new TimeWindow { Start = BillingSteps.At(Cut.AddHours(-2)), End = BillingSteps.At(Cut.AddHours(-1)) };
                await bus.PublishAsync(usage);
                await crashing.Operator.SettledTenantBalanceAsync(tenant, 10m);
            }

            // The steps of an early close, up to the crash: closed, one invoice stored, nothing published.
            var store = crashing.Get<InvoiceStore>();
            Assert.Equal([Month], await store.CloseAsync(store.Shards.All[0], Cut));
            (before, var issuedNow) = await store.IssueAsync(
                await crashing.Get<InvoiceDesk>().ToIssueAsync(stored, Month, Cut), DateTimeOffset.UtcNow);
            Assert.True(issuedNow);
        }
        await using var announced = await IssuedInvoices.BindAsync(_market.Servers.RabbitMqUri);
        Assert.Empty(await announced.UntilAsync(_ => true, TimeSpan.FromSeconds(1)));

        await using var restarted = await OwnBilling.StartAsync(_market, Database, prefix,
            [.. clock, ("Billing:InvoiceCloseInterval", "00:00:00.100"), ("Billing:InvoiceRelayInterval", "00:00:00.100"),
                ("Billing:InvoiceSendTimeout", "00:00:01")]);
        var events = await announced.UntilAsync(seen => seen.Select(e => e.EventId).Distinct().Count() == 2, TimeSpan.FromSeconds(30));

        // Each tenant has its one invoice: the one stored before the crash exactly as it was, the other
        // issued after the restart with the next number.
        var period = new TimeWindow { Start = BillingSteps.At(Month), End = BillingSteps.At(Cut) };
        var first = Assert.Single(await IssuedAsync(restarted, stored, period));
        var second = Assert.Single(await IssuedAsync(restarted, unstored, period));
        Assert.Equal(before.ToByteArray(), first.ToByteArray());
        Assert.Equal((1L, 2L), (first.Number, second.Number));
        Assert.Equal(10m, second.Total.ToDecimal());

        // Announced at least once each, every copy the same fact under the same event id.
        Assert.All(events, e => Assert.Equal(e.Invoice.Id == first.Id ? first : second, e.Invoice));
        Assert.Equal([$"invoice-issued:{first.Id}", $"invoice-issued:{second.Id}"], events.Select(e => e.EventId).Distinct().Order());

        // Issuing again changes nothing: no new number, one line in the log, nothing left to publish.
        var (again, reissued) = await restarted.Get<InvoiceStore>().IssueAsync(
            await restarted.Get<InvoiceDesk>().ToIssueAsync(stored, Month, Cut), DateTimeOffset.UtcNow);
        Assert.False(reissued);
        Assert.Equal(first, again);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_market.Servers.RedisConnectionString);
        var db = redis.GetDatabase(Database);
        Assert.Equal(2, (long)await db.StringGetAsync("billing:{b}:invoice-seq"));
        await Eventually.TrueAsync(async () => await db.SortedSetLengthAsync("billing:{b}:unpublished") == 0, "nothing left to publish");
        var log = await db.StreamRangeAsync("billing:{b}:log");
        Assert.Equal([first.Id, second.Id], log.Select(e => (string?)e["inv"]).OfType<string>().Order());
    }

    static async Task<IReadOnlyList<Invoice>> IssuedAsync(OwnBilling billing, string tenant, TimeWindow period) =>
        (await billing.Operator.ListInvoicesAsync(new ListInvoicesRequest { TenantId = tenant, Period = period })).Invoices
        .Where(i => i.State == InvoiceState.Issued).ToList();
}
