using System.Diagnostics;
using Marketplace.Testing.Market;

namespace Marketplace.Console.Tests;

// Each test watches a tenant of its own (?tenant=), so the feed it counts holds only its own events.
[Collection(ConsoleCollection.Name)]
public sealed class The_live_feed(ConsoleFixture fixture)
{
    static readonly TimeSpan Promptly = TimeSpan.FromSeconds(2);
    static readonly TimeSpan BillingWarmUp = TimeSpan.FromSeconds(15); // the first usage may wait for LeaseCreated

    [Fact]
    public async Task Shows_usage_published_on_the_bus_within_two_seconds()
    {
        var (lease, bus, console) = await WatchNewTenantAsync();
        await using var _ = bus;

        var clock = Stopwatch.StartNew();
        for (var hour = 1; hour <= 3; hour++)
            await lease.HourAsync(bus, hour);
        await console.WaitForRowsAsync(4, Promptly);

        Assert.True(clock.Elapsed < Promptly, $"took {clock.Elapsed}");
        await console.AssertShowsEachOnceNewestFirstAsync(Enumerable.Range(0, 4).Select(lease.EventId));
    }

    [Fact]
    public async Task Resumes_from_its_cursor_after_a_reload_showing_every_event_once()
    {
        var (lease, bus, console) = await WatchNewTenantAsync();
        await using var _ = bus;
        for (var hour = 1; hour <= 4; hour++)
            await lease.HourAsync(bus, hour);
        await console.WaitForRowsAsync(5, Promptly);

        await console.ReloadAsync();
        await lease.HourAsync(bus, 5);
        await console.WaitForRowsAsync(6, Promptly);
        await Task.Delay(300); // anything shown twice would show by now

        await console.AssertShowsEachOnceNewestFirstAsync(Enumerable.Range(0, 6).Select(lease.EventId));
        var stats = await console.StatsAsync();
        Assert.Equal(0, stats.Duplicates);
        Assert.Equal(1, stats.Resumed); // the reloaded page asked billing only for what came after its cursor
        Assert.Equal(1, stats.Events);  // ... and got the one event published since
    }

    [Fact]
    public async Task Resumes_a_dropped_stream_from_its_cursor_with_no_gap_and_no_duplicate()
    {
        var (lease, bus, console) = await WatchNewTenantAsync();
        await using var _ = bus;
        for (var hour = 1; hour <= 2; hour++)
            await lease.HourAsync(bus, hour);
        await console.WaitForRowsAsync(3, Promptly);
        var cursorBefore = await console.CursorAsync();

        await console.DropStreamAsync();
        for (var hour = 3; hour <= 5; hour++) // published while the page is cut off
            await lease.HourAsync(bus, hour);
        await console.WaitForRowsAsync(6, BillingWarmUp);
        await lease.HourAsync(bus, 6);
        await console.WaitForRowsAsync(7, Promptly);
        await Task.Delay(300);

        await console.AssertShowsEachOnceNewestFirstAsync(Enumerable.Range(0, 7).Select(lease.EventId));
        var stats = await console.StatsAsync();
        Assert.Equal(0, stats.Duplicates);
        Assert.Equal(2, stats.Opened);  // the first stream, and one that resumed ...
        Assert.Equal(1, stats.Resumed); // ... from the cursor the page had
        Assert.NotEqual(cursorBefore, await console.CursorAsync());
    }

    [Fact]
    public async Task Resumes_after_a_network_cut_by_EventSource_sending_its_last_cursor()
    {
        await using var link = CuttableLink.To(fixture.Console.Address);
        var (lease, bus, console) = await WatchNewTenantAsync(link.Address);
        await using var _ = bus;
        var cursor = await console.CursorAsync();
        var reconnects = new List<Microsoft.Playwright.IRequest>();
        console.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/events"))
                reconnects.Add(request);
        };

        link.CutAll();
        for (var hour = 1; hour <= 3; hour++) // published while EventSource waits to reconnect
            await lease.HourAsync(bus, hour);
        await console.WaitForRowsAsync(4, BillingWarmUp);
        await Task.Delay(300);

        var headers = await Task.WhenAll(reconnects.Select(r => r.AllHeadersAsync()));
        Assert.Equal([cursor], headers.Select(h => h.GetValueOrDefault("last-event-id")));
        await console.AssertShowsEachOnceNewestFirstAsync(Enumerable.Range(0, 4).Select(lease.EventId));
        var stats = await console.StatsAsync();
        Assert.Equal(0, stats.Duplicates);
        Assert.Equal(1, stats.Opened); // the same EventSource, reconnected by the browser itself
    }

    // A tenant of its own with one hour already billed and shown: billing knows its lease from here on.
    async Task<(Usage Lease, RawBus Bus, ConsolePage Console)> WatchNewTenantAsync(Uri? via = null)
    {
        var lease = new Usage($"hz-xihu-vision-{Guid.NewGuid():N}"[..21], "alibaba-cloud", "hangzhou-binjiang-compute-base",
            "zhejiang", "yangtze-river-delta", "H20", 2, 5.80m, Pue: 1.3);
        var console = await ConsolePage.SignInAsync(fixture, $"/?tenant={lease.Tenant}", via);
        var bus = await RawBus.ConnectAsync(fixture.Market.Servers.RabbitMqUri);
        await lease.OpenAsync(bus);
        await lease.HourAsync(bus, 0);
        await console.WaitForRowsAsync(1, BillingWarmUp);
        return (lease, bus, console);
    }
}
