using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Provider.Storage;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Console.Tests;

// A site going down shows on the operator page while it lasts and once it is back, with the lease it moved and
// the sites' reliability; an hour an outage took from a lease shows in the live feed as the SLA credit billing
// posted for it.
[Collection(ConsoleCollection.Name)]
public sealed class Outages_on_the_operator_page(ConsoleFixture fixture)
{
    [Fact]
    public async Task Lists_a_site_down_and_shows_the_credit_for_an_hour_it_took()
    {
        var lease = new Usage($"gy-credit-{Guid.NewGuid():N}"[..18], "tencent-cloud", "guian-tencent-cave",
            "guizhou", "guizhou", "H20", 4, 4.20m);
        var console = await ConsolePage.SignInAsync(fixture, $"/?tenant={lease.Tenant}");
        // A lease at site A (the cheaper, in Hubei, where no other test sells MLU370s); B can take its hours.
        var site = await TestSites.RegisterAsync(fixture.Market, $"down-{Guid.NewGuid():N}"[..17], "hubei", "", "Wuhan", 30.6, 114.3);
        var spare = await TestSites.RegisterAsync(fixture.Market, $"spare-{Guid.NewGuid():N}"[..18], "hubei", "", "Xiangyang", 32.0, 112.1);
        var atA = await TestSites.OfferAsync(fixture.Market, site.Id, "MLU370-X8", 2.10m, 8);
        await TestSites.OfferAsync(fixture.Market, spare.Id, "MLU370-X8", 2.90m, 8);
        var tenant = $"moved-{Guid.NewGuid():N}"[..14];
        var request = new QuoteRequest
        {
            TenantId = tenant, AcceleratorHours = new AcceleratorHours { AcceleratorModel = "MLU370-X8", Hours = 8 }, Accelerators = 4,
            Workload = WorkloadKind.Training, AllowedRegionIds = { "hubei" },
            Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(MarketHours.Next.AddHours(1)), End = Timestamp.FromDateTimeOffset(MarketHours.Next.AddHours(3)) },
        };
        var quote = await Eventually.GetAsync(async () =>
        {
            try { return (await fixture.Market.BrokerClient.RequestQuoteAsync(request)).Options.FirstOrDefault(o => o.Placements[0].OfferId == atA.Id); }
            catch (Grpc.Core.RpcException) { return null; }
        }, "a quote at site A");
        var moving = await fixture.Market.BrokerClient.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = quote.Id });
        var outage = await fixture.Market.ProviderClient.ReportOutageAsync(new ReportOutageRequest
        {
            DatacenterId = site.Id, Reason = "chiller failure",
        });
        await console.Page.Locator($"#move-list li.moved[data-lease='{moving.Id}']").WaitForAsync(new() { Timeout = 20_000 });

        var listed = console.Page.Locator($"#outage-list li.ongoing[data-outage='{outage.Id}']");
        await listed.WaitForAsync(new() { Timeout = 15_000 });
        Assert.Contains("chiller failure", await listed.TextContentAsync());

        // The meter's count for site A today: 3 accelerator-hours leased, 2 delivered. The page lists it among the
        // least reliable, ahead of the spare site where nothing was leased yet.
        var today = Marketplace.Provider.Domain.Slots.Of(fixture.Market.Provider.Services.GetRequiredService<TimeProvider>().GetUtcNow()) / 24;
        await fixture.Market.Provider.Services.GetRequiredService<ReliabilityStore>().CountAsync(site.Id, today, leased: 3, delivered: 2);
        var rated = console.Page.Locator($"#reliability-list li.flaky[data-datacenter='{site.Id}']");
        await rated.WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("66.7% delivered", await rated.Locator(".share").TextContentAsync());
        var order = await console.Page.EvalOnSelectorAllAsync<string[]>("#reliability-list li", "items => items.map(i => i.dataset.datacenter)");
        Assert.True(Array.IndexOf(order, site.Id) < Array.IndexOf(order, spare.Id), string.Join(", ", order));
        Assert.Equal("nothing leased yet", await console.Page.Locator($"#reliability-list li[data-datacenter='{spare.Id}'] .share").TextContentAsync());

        await fixture.Market.ProviderClient.EndOutageAsync(new EndOutageRequest { OutageId = outage.Id });
        await console.Page.Locator($"#outage-list li.ended[data-outage='{outage.Id}']").WaitForAsync(new() { Timeout = 15_000 });

        // 4 H20s at 4.20 an hour, half credited: 8.40 back to the tenant.
        await using var bus = await RawBus.ConnectAsync(fixture.Market.Servers.RabbitMqUri);
        await lease.OpenAsync(bus);
        await lease.LostHourAsync(bus, 3, percent: 50);
        var credit = console.Page.Locator("#feed tbody tr.credit").First;
        await credit.WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("−¥8.40", await credit.Locator("td.amount").TextContentAsync());
        Assert.Contains("SLA credit", await credit.GetAttributeAsync("title") ?? "");
    }
}
