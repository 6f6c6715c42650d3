using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Console.Tests;

// H20 offers in an east hub and three west hubs (no other console test sells H20): a tenant asks for batch
// work with its data in Shanghai, sees the options where the sites are, accepts the cheapest, and watches
// the lease and the bill that its first hour of usage moves.
[Collection(ConsoleCollection.Name)]
public sealed class A_tenants_page(ConsoleFixture fixture)
{
    [Fact]
    public async Task Quotes_on_a_map_of_the_sites_accepts_an_option_and_shows_its_lease_and_bill()
    {
        await MarketHours.AwayFromTheTurnAsync(TimeSpan.FromMinutes(2));
        var market = fixture.Market;
        var run = Guid.NewGuid().ToString("N")[..6];
        var tenant = $"sh-tenant-{run}";
        foreach (var (region, hub, city, lat, lon, price) in new[]
                 {
                     ("shanghai", "yangtze-river-delta", "Shanghai", 31.23, 121.47, 9.00m),
                     ("guizhou", "guizhou", "Gui'an", 26.41, 106.40, 5.00m),
                     ("ningxia", "ningxia", "Zhongwei", 37.51, 105.19, 4.60m),
                     ("inner-mongolia", "inner-mongolia", "Hohhot", 40.84, 111.75, 4.80m),
                 })
        {
            var site = await TestSites.RegisterAsync(market, $"tq-{region}-{run}", region, hub, city, lat, lon);
            await TestSites.OfferAsync(market, site.Id, "H20", price, 16);
        }
        // The broker's catalog hears of new offers on the bus; its order book reads the same catalog.
        var exchange = new ExchangeService.ExchangeServiceClient(market.Broker.Channel);
        await Eventually.TrueAsync(async () => (await exchange.GetOrderBookAsync(new GetOrderBookRequest { Hours = 1 }))
            .Asks.Count(a => a.AcceleratorModel == "H20") == 4, "the four offers in the broker's catalog");
        var tenantPage = await TenantPage.SignInAsync(fixture, tenant);
        var page = tenantPage.Page;
        Assert.EndsWith("/tenant/", page.Url);

        // A mistake is named by its field, in the form.
        await tenantPage.AskAsync(new Dictionary<string, string> { ["model"] = "H20", ["accelerators"] = "0" });
        await page.Locator("#form-problem").WaitForAsync();
        Assert.StartsWith("accelerators:", await page.TextContentAsync("#form-problem"));
        Assert.Equal("true", await page.GetAttributeAsync("#accelerators", "aria-invalid"));

        // Act: 8 H20s for 4 hours of batch work in the next day, data (100 GB) in Shanghai.
        await tenantPage.AskAsync(new Dictionary<string, string>
        {
            ["model"] = "H20", ["accelerators"] = "8", ["hours"] = "4", ["startInHours"] = "0", ["windowHours"] = "24",
            ["workload"] = "batch", ["dataRegion"] = "shanghai", ["dataGb"] = "100",
        });
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#option-list li[data-quote]').length >= 4");
        var options = await page.EvalOnSelectorAllAsync<string[]>("#option-list li[data-quote]", "li => li.map(l => l.dataset.quote)");
        // Sites with nothing leased yet have let no one down: each option says so.
        Assert.All(await page.EvalOnSelectorAllAsync<string[]>("#option-list li[data-quote]", "li => li.map(l => l.dataset.reliability)"),
            r => Assert.Equal("1", r));

        // Assert: each option on the map, coloured by its total (cheapest and dearest differ), hubs labelled,
        // the data's region marked.
        Assert.Equal(options.Order(), (await tenantPage.OptionIdsOnTheMapAsync()).Order()); // cheapest first in the list
        var fills = await page.EvalOnSelectorAllAsync<string[]>("#map circle.option", "dots => dots.map(d => d.getAttribute('fill'))");
        Assert.True(fills.Distinct().Count() >= 2, string.Join(", ", fills));
        var hubs = await page.EvalOnSelectorAllAsync<string[]>("#map text.hub", "t => t.map(x => x.textContent)");
        foreach (var hub in new[] { "Yangtze River Delta", "Guizhou", "Ningxia", "Inner Mongolia", "Beijing-Tianjin-Hebei" })
            Assert.Contains(hub, hubs);
        Assert.Equal(1, await page.Locator("#map g.data-region[data-region=shanghai]").CountAsync());
        await page.ScreenshotAsync(new() { Path = ArtifactsFolder.File("console-tenant.png"), FullPage = true });

        // Accept the cheapest: its lease appears, scheduled, and the broker has it for this tenant.
        await page.ClickAsync($"#option-list li[data-quote='{options[0]}'] button.accept");
        var row = page.Locator("#leases tr[data-lease]").First;
        await row.WaitForAsync();
        var leaseId = await row.GetAttributeAsync("data-lease");
        Assert.Equal("scheduled", await row.GetAttributeAsync("data-state"));
        var lease = await market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = leaseId });
        Assert.Equal((tenant, options[0]), (lease.TenantId, lease.QuoteId));

        // Its first hour metered: the posting shows live and the bill moves to what the hour costs.
        var allocation = lease.Allocations[0];
        await using var bus = await RawBus.ConnectAsync(market.Servers.RabbitMqUri);
        await bus.PublishAsync(FirstHour(lease.Id, allocation));
        await page.Locator($"#bill-events tr[data-lease='{lease.Id}']").WaitForAsync();
        var hourFen = (long)(allocation.Units * allocation.PricePerHour.ToDecimal() * 100);
        await page.WaitForFunctionAsync("fen => +document.getElementById('bill-totals').dataset.tenantDueFen === fen", hourFen);
        await page.ScreenshotAsync(new() { Path = ArtifactsFolder.File("console-tenant-lease.png"), FullPage = true });
    }

    static UsageRecorded FirstHour(string leaseId, LeaseAllocation a)
    {
        var start = a.Window.Start.ToDateTimeOffset();
        return new UsageRecorded
        {
            EventId = $"usage:{a.HoldId}:0", OccurredAt = Timestamp.FromDateTimeOffset(start.AddHours(1)),
            LeaseId = leaseId, OfferId = a.OfferId, HoldId = a.HoldId, ProviderId = a.ProviderId, DatacenterId = a.DatacenterId,
            AcceleratorModel = a.AcceleratorModel,
            Interval = new TimeWindow { Start = a.Window.Start, End = Timestamp.FromDateTimeOffset(start.AddHours(1)) },
            Units = a.Units, AcceleratorSeconds = a.Units * 3600L, EnergyKwh = a.Units * 0.4 * 1.2,
        };
    }
}
