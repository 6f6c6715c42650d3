using Marketplace.Billing.Ledger;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Billing;

// Billing's one log reader hands live events to every watcher; a watcher replays from the log until it
// joins, and catches up from the log when it falls behind. Postings are written straight onto the log in
// the entry-carries-the-posting shape (BillingLogEntries), so every event is built from its entry alone.
[Collection(MarketCollection.Name)]
public sealed class Following_the_billing_log_live(MarketFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    readonly MarketUnderTest _market = fixture.Market;
    ConnectionMultiplexer _redis = null!;
    BillingLogEntries _log = null!;

    public async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(_market.Servers.RedisConnectionString);
        _log = new BillingLogEntries(_redis.GetDatabase());
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    BillingLogFanOut FanOutOf(RunningService billing) => billing.Services.GetRequiredService<BillingLogFanOut>();

    [Fact]
    public async Task A_slow_watcher_holds_no_more_than_its_channel_does_not_hold_up_a_fast_one_and_later_gets_every_event_in_order()
    {
        const int capacity = 8, total = 4_000;
        var (seed, random) = Seeded();
        await using var billing = await RunningService.StartAsync(Marketplace.Billing.Program.Build,
            new Dictionary<string, string?>(MarketUnderTest.CommonSettings(_market.Servers)) { ["Billing:WatchChannelCapacity"] = $"{capacity}" });
        var fanOut = FanOutOf(billing);
        var client = new BillingService.BillingServiceClient(billing.Channel);
        var tenant = Samples.UniqueId("tenant-slow");
        var start = (await _log.AppendAsync(tenant, "start", 0, 1))[0];
        var request = new WatchBillingEventsRequest { TenantId = tenant, FromCursor = start };
        await using var slow = new WatchClient(client, request);
        await using var fast = new WatchClient(client, request);
        await slow.TakeAsync(0); // the call is open; it is never read until the end
        await fast.TakeAsync(0);
        await Eventually.TrueAsync(() => Task.FromResult(fanOut.Watchers == 2), "both watchers to follow the log live");
        var fellBehind = fanOut.FellBehind;

        var writing = WriteInBurstsAsync(tenant, "slow", total, random);
        var mostBuffered = 0;
        var fastSeen = new List<BillingEvent>();
        while (fastSeen.Count < total)
        {
            fastSeen.AddRange(await fast.TakeAsync(Math.Min(100, total - fastSeen.Count), Generous));
            mostBuffered = Math.Max(mostBuffered, fanOut.MostBuffered);
        }
        var written = await writing;

        Assert.Equal(written, fastSeen.Select(e => e.Cursor));
        Assert.True(mostBuffered <= capacity, $"seed {seed}: a watcher held {mostBuffered} events, over its channel's {capacity}");
        Assert.True(fanOut.FellBehind > fellBehind, $"seed {seed}: the slow watcher was never let go to catch up on its own");
        var slowSeen = await slow.TakeAsync(total, Generous);
        Assert.Equal(written, slowSeen.Select(e => e.Cursor));
        Assert.Equal(total, slowSeen.Select(e => e.Posting.SourceEventId).Distinct().Count());
    }

    [Fact]
    public async Task Two_hundred_and_fifty_watchers_joining_while_events_arrive_each_get_every_event_once_in_order()
    {
        const int watchers = 250, total = 300;
        var (seed, random) = Seeded();
        using var channel = ManyStreamsChannel.For(_market.Billing.Address, MarketUnderTest.TokenFor(MarketRoles.Operator, "watch-operator"));
        var client = new BillingService.BillingServiceClient(channel);
        var tenant = Samples.UniqueId("tenant-many");
        var start = (await _log.AppendAsync(tenant, "start", 0, 1))[0];
        var delays = Enumerable.Range(0, watchers).Select(_ => random.Next(0, 400)).ToList();

        var writing = WriteInBurstsAsync(tenant, "many", total, random);
        var watching = delays.Select(async delay =>
        {
            await Task.Delay(delay); // some replay what was written before they came, some join straight away
            await using var watcher = new WatchClient(client, new WatchBillingEventsRequest { TenantId = tenant, FromCursor = start });
            return await watcher.TakeAsync(total, Generous);
        }).ToList();
        var written = await writing;
        var seen = await Task.WhenAll(watching);

        for (var i = 0; i < watchers; i++)
            Assert.True(written.SequenceEqual(seen[i].Select(e => e.Cursor)),
                $"seed {seed}: watcher {i} saw {seen[i].Count} of {total}, or not in the log's order");
    }

    [Fact]
    public async Task Watchers_starting_anywhere_in_the_log_while_it_grows_get_what_follows_with_no_gap_or_duplicate_at_the_seam()
    {
        const int total = 600, watchers = 24;
        var (seed, random) = Seeded();
        var tenant = Samples.UniqueId("tenant-seam");
        var starts = Enumerable.Range(0, watchers).Select(_ => random.Next(-1, total / 2)).ToList();
        var written = new List<string>();
        var writing = Task.Run(async () =>
        {
            while (written.Count < total)
            {
                var burst = Math.Min(random.Next(1, 40), total - written.Count);
                var cursors = await _log.AppendAsync(tenant, "seam", written.Count, burst);
                lock (written) written.AddRange(cursors);
                await Task.Delay(random.Next(0, 15));
            }
        });

        var watching = starts.Select(async from =>
        {
            // from -1: the whole log; else the cursor of the from-th event, once it has been written
            await Eventually.TrueAsync(() => Task.FromResult(Count(written) > from), $"event {from} to be written");
            var cursor = from < 0 ? "" : At(written, from);
            await using var watcher = new WatchClient(_market.BillingClient, new WatchBillingEventsRequest { TenantId = tenant, FromCursor = cursor });
            return await watcher.TakeAsync(total - (from + 1), Generous);
        }).ToList();
        await writing;
        var seen = await Task.WhenAll(watching);

        for (var i = 0; i < watchers; i++)
            Assert.True(written.Skip(starts[i] + 1).SequenceEqual(seen[i].Select(e => e.Cursor)),
                $"seed {seed}: watcher {i} from event {starts[i]} saw {seen[i].Count} of {total - (starts[i] + 1)}, or a gap or duplicate");
    }

    [Fact]
    public async Task A_watcher_from_the_end_gets_only_what_is_written_after_it_came()
    {
        var fanOut = FanOutOf(_market.Billing);
        var tenant = Samples.UniqueId("tenant-end");
        await _log.AppendAsync(tenant, "before", 0, 5);
        var before = fanOut.Watchers;
        await using var watcher = new WatchClient(_market.BillingClient, new WatchBillingEventsRequest { TenantId = tenant, FromCursor = "$" });
        await watcher.TakeAsync(0);
        await Eventually.TrueAsync(() => Task.FromResult(fanOut.Watchers > before), "the watcher to follow the log live");

        var after = await _log.AppendAsync(tenant, "after", 0, 5);
        Assert.Equal(after, (await watcher.TakeAsync(5, Generous)).Select(e => e.Cursor));
    }

    [Fact]
    public async Task Entries_that_name_their_posting_only_are_read_from_its_hash_and_mix_in_order_with_entries_that_carry_it()
    {
        var (seed, random) = Seeded();
        var db = _redis.GetDatabase();
        var tenant = Samples.UniqueId("tenant-mixed");
        var start = (await _log.AppendAsync(tenant, "start", 0, 1))[0];
        await using var watcher = new WatchClient(_market.BillingClient, new WatchBillingEventsRequest { TenantId = tenant, FromCursor = start });
        await watcher.TakeAsync(0); // following already: most of what follows reaches it live
        var expected = new List<(string Cursor, string EventId)>();
        for (var i = 0; i < 60; i++)
        {
            if (random.Next(2) == 0)
            {
                expected.Add(((await _log.AppendAsync(tenant, "carried", i, 1))[0], $"carried:{i}"));
                continue;
            }
            // the older shape: the posting in its hash, the entry naming it
            var posting = BillingLogEntries.Posting(tenant, $"named:{i}");
            await db.HashSetAsync($"billing:{{b}}:posting:{posting.Id}",
                [.. posting.ToFields(), new HashEntry("subsidy", posting.SubsidyFen)]);
            var id = await db.StreamAddAsync(BillingLogEntries.Log,
                [new("pid", posting.Id), new("tenant", tenant), new("provider", posting.ProviderId), new("hub", posting.HubId)]);
            expected.Add(((string)id!, posting.EventId));
        }

        var seen = await watcher.TakeAsync(expected.Count, Generous);
        Assert.True(expected.SequenceEqual(seen.Select(e => (e.Cursor, e.Posting.SourceEventId))),
            $"seed {seed}: saw {seen.Count} of {expected.Count}, or not as written");
    }

    [Fact]
    public async Task A_watcher_that_goes_away_gives_up_its_place()
    {
        var fanOut = FanOutOf(_market.Billing);
        var before = fanOut.Watchers;
        var tenant = Samples.UniqueId("tenant-gone");
        var watchers = Enumerable.Range(0, 10)
            .Select(_ => new WatchClient(_market.BillingClient, new WatchBillingEventsRequest { TenantId = tenant, FromCursor = "$" })).ToList();
        foreach (var watcher in watchers)
            await watcher.TakeAsync(0);
        await Eventually.TrueAsync(() => Task.FromResult(fanOut.Watchers == before + 10), "ten watchers to follow the log live");

        foreach (var watcher in watchers)
            await watcher.DisposeAsync();
        await Eventually.TrueAsync(() => Task.FromResult(fanOut.Watchers == before), "the ten to give up their places", Generous);
    }

    // Postings in seeded bursts with short pauses between, so the log grows while watchers come and go.
    async Task<IReadOnlyList<string>> WriteInBurstsAsync(string tenant, string tag, int total, Random random)
    {
        var written = new List<string>();
        while (written.Count < total)
        {
            written.AddRange(await _log.AppendAsync(tenant, tag, written.Count, Math.Min(random.Next(1, 60), total - written.Count)));
            await Task.Delay(random.Next(0, 10));
        }
        return written;
    }

    (int Seed, Random Random) Seeded()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        return (seed, new Random(seed));
    }

    static int Count(List<string> list) { lock (list) return list.Count; }
    static string At(List<string> list, int i) { lock (list) return list[i]; }
}
