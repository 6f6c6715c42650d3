using Marketplace.Billing.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class An_issued_invoice(ConsoleFixture fixture)
{
    [Fact]
    public async Task Shows_in_the_live_feed_with_its_number_and_total()
    {
        var lease = new Usage($"hz-invoiced-{Guid.NewGuid():N}"[..21], "alibaba-cloud", "hangzhou-binjiang-compute-base",
            "zhejiang", "yangtze-river-delta", "H20", 2, 5.80m, Pue: 1.3);
        var console = await ConsolePage.SignInAsync(fixture, $"/?tenant={lease.Tenant}");
        await using var bus = await RawBus.ConnectAsync(fixture.Market.Servers.RabbitMqUri);
        await lease.OpenAsync(bus);
        // An hour already over, so the operator's close (at the current hour) bills it: 2 H20s at 5.80.
        var now = DateTimeOffset.UtcNow;
        await lease.HourAsync(bus, (int)(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero) - Usage.Day).TotalHours - 1);
        await console.WaitForRowsAsync(1, TimeSpan.FromSeconds(15));

        var closed = await fixture.Market.BillingClient.CloseBillingPeriodAsync(new CloseBillingPeriodRequest());
        var invoice = Assert.Single(closed.Invoices, i => i.TenantId == lease.Tenant);
        await console.WaitForRowsAsync(2, TimeSpan.FromSeconds(2));

        var newest = console.Page.Locator("#feed tbody tr").First;
        Assert.Equal(invoice.Id, await newest.GetAttributeAsync("data-event-id"));
        Assert.Contains("invoice", await newest.GetAttributeAsync("class") ?? "");
        Assert.Equal($"invoice no. {invoice.Number} issued", await newest.Locator("td.hub").TextContentAsync());
        Assert.Equal("¥11.60", await newest.Locator("td.amount").TextContentAsync());
        Assert.Equal(11.60m, invoice.Total.ToDecimal());
    }
}
