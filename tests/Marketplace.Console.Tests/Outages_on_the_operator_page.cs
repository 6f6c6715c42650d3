using Marketplace.Provider.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Console.Tests;

// A site going down shows on the operator page while it lasts and once it is back; an hour it took from a
// lease shows in the live feed as the SLA credit billing posted for it.
[Collection(ConsoleCollection.Name)]
public sealed class Outages_on_the_operator_page(ConsoleFixture fixture)
{
    [Fact]
    public async Task Lists_a_site_down_and_shows_the_credit_for_an_hour_it_took()
    {
        var lease = new Usage($"gy-credit-{Guid.NewGuid():N}"[..18], "tencent-cloud", "guian-tencent-cave",
            "guizhou", "guizhou", "H20", 4, 4.20m);
        var console = await ConsolePage.SignInAsync(fixture, $"/?tenant={lease.Tenant}");
        var site = await TestSites.RegisterAsync(fixture.Market, $"down-{Guid.NewGuid():N}"[..17], "guizhou", "guizhou", "Gui'an", 26.4, 106.4);
        var outage = await fixture.Market.ProviderClient.ReportOutageAsync(new ReportOutageRequest
        {
            DatacenterId = site.Id, Reason = "chiller failure",
        });

        var listed = console.Page.Locator($"#outage-list li.ongoing[data-outage='{outage.Id}']");
        await listed.WaitForAsync(new() { Timeout = 15_000 });
        Assert.Contains("chiller failure", await listed.TextContentAsync());
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
