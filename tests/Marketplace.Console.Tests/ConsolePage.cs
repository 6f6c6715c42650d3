using System.Text.Json;
using Microsoft.Playwright;

namespace Marketplace.Console.Tests;

// The console in a browser tab, in an operator's words: sign in, look at the feed, cut the stream.
sealed class ConsolePage(IPage page)
{
    const string Rows = "#feed tbody tr";

    public IPage Page => page;

    // Opens `path` (filters in its query), signs in through the form it is sent to, and waits until live.
    public static async Task<ConsolePage> SignInAsync(ConsoleFixture fixture, string path = "/", Uri? via = null)
    {
        var page = await fixture.NewPageAsync(via);
        await page.GotoAsync(path);
        await page.FillAsync("#token", fixture.OperatorToken);
        await page.ClickAsync("button[type=submit]");
        var console = new ConsolePage(page);
        await console.WaitUntilLiveAsync();
        return console;
    }

    public async Task WaitUntilLiveAsync() =>
        await page.WaitForFunctionAsync("() => window.__console && document.getElementById('stream').dataset.state === 'live'",
            null, new PageWaitForFunctionOptions { Timeout = 10_000 });

    public async Task ReloadAsync()
    {
        await page.ReloadAsync();
        await WaitUntilLiveAsync();
    }

    // The producers' event ids of the rows shown, newest first.
    public async Task<string[]> EventIdsAsync() =>
        await page.EvalOnSelectorAllAsync<string[]>(Rows, "rows => rows.map(r => r.dataset.eventId)");

    // Every expected event exactly once, and the rows in billing's log order, newest first (billing posts
    // concurrent usage in the order it applies it, which need not be the order it was published in).
    public async Task AssertShowsEachOnceNewestFirstAsync(IEnumerable<string> expectedEventIds)
    {
        Assert.Equal(expectedEventIds.Order(), (await EventIdsAsync()).Order());
        var cursors = await page.EvalOnSelectorAllAsync<string[]>(Rows, "rows => rows.map(r => r.dataset.cursor)");
        var order = cursors.Select(c => c.Split('-').Select(ulong.Parse).ToArray()).Select(p => (p[0], p[1])).ToArray();
        Assert.Equal(order.OrderDescending(), order);
        Assert.Equal(order.Length, order.Distinct().Count());
    }

    public async Task WaitForRowsAsync(int count, TimeSpan timeout) =>
        await page.WaitForFunctionAsync($"n => document.querySelectorAll('{Rows}').length >= n", count,
            new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 20 });

    public async Task WaitForEventsAsync(IEnumerable<string> eventIds, TimeSpan timeout) =>
        await page.WaitForFunctionAsync(
            $"ids => {{ const shown = new Set([...document.querySelectorAll('{Rows}')].map(r => r.dataset.eventId)); return ids.every(id => shown.has(id)); }}",
            eventIds.ToArray(), new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 50 });

    // Closes the page's EventSource as a network fault would; the page resumes from its last cursor.
    public async Task DropStreamAsync() => await page.EvaluateAsync("() => window.__console.dropStream()");

    public async Task<StreamStats> StatsAsync()
    {
        var stats = await page.EvaluateAsync<JsonElement>("() => window.__console.stats");
        int Get(string name) => stats.GetProperty(name).GetInt32();
        return new StreamStats(Get("opened"), Get("resumed"), Get("events"), Get("duplicates"), Get("rows"));
    }

    public async Task<string> CursorAsync() => await page.EvaluateAsync<string>("() => window.__console.cursor");
}
