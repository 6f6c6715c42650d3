using System.Diagnostics;
using Marketplace.Events.V1;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Billing;

// A billing process of its own (own queues, own Redis database) is killed with SIGKILL while 20,000 usage
// events flow, some of them published twice. The ledger must end as if nothing had happened.
// Replay a run with MARKETPLACE_TEST_SEED=<the printed seed>.
[Collection(MarketCollection.Name)]
public sealed class Billing_under_kill_9(MarketFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    const int Events = 20_000;
    const double DuplicateShare = 0.02;
    const int Kills = 3;
    const int Publishers = 4;
    const int Database = 3; // the fixture's in-process billing writes database 0
    const decimal PricePerHour = 9.87m;
    const string Applied = "billing:{b}:applied";
    const string Balances = "billing:{b}:balances";

    readonly MarketUnderTest _market = fixture.Market;
    readonly string _prefix = $"billing-crash-{Guid.NewGuid():N}"[..22];
    readonly Stopwatch _clock = Stopwatch.StartNew();
    ConnectionMultiplexer _redis = null!;
    ServiceProcess? _billing;
    long _appliedBefore;

    IDatabase Ledger => _redis.GetDatabase(Database);

    [Fact]
    public async Task Applies_every_usage_exactly_once_while_killed_and_restarted_three_times()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MARKETPLACE_TEST_SEED"), out var s) ? s : Random.Shared.Next();
        Say($"seed {seed}, queues {_prefix}-*");
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = timeout.Token;

        var tenant = Samples.UniqueId("tenant-kill9");
        var provider = Samples.UniqueId("provider-kill9");
        var lease = BillingSteps.Lease(tenant, PricePerHour, provider: provider);
        lease.Window.End = BillingSteps.At(BillingSteps.Hour0.AddHours(Events));
        var usages = Enumerable.Range(0, Events)
            .Select(hour => BillingSteps.Usage(lease, hour, acceleratorSeconds: random.Next(1, 7201))).ToList();
        var sends = Shuffled(usages.Concat(usages.Where(_ => random.NextDouble() < DuplicateShare)).ToList(), random);
        // Kill points are ledger progress, one in each third of 12.5-87.5 %, so every kill hits a consumer at work.
        var kills = Enumerable.Range(0, Kills)
            .Select(k => (At: (int)(Events * (k + 0.5 + random.NextDouble()) / (Kills + 1)), Pause: random.Next(100, 1500)))
            .ToList();
        var feesBefore = await BalanceAsync("platform:fees");
        _appliedBefore = await Ledger.SetLengthAsync(Applied);

        // Arrange: the child's queues exist and are bound before anything is published to them.
        _billing = await StartBillingAsync(ct);
        await using (var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri))
            await bus.OpenAsync(lease);
        await Eventually.TrueAsync(() => Ledger.KeyExistsAsync($"billing:{{b}}:lease:{lease.Id}"),
            $"the billing child to hear of lease {lease.Id}", TimeSpan.FromSeconds(30));

        // Act: a duplicating producer publishes with confirms while the consumer is killed and restarted.
        var flowing = Stopwatch.StartNew();
        var chaos = Task.Run(() => KillAndRestartAsync(kills, ct), ct);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(_ => Task.Run(async () =>
        {
            await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
            for (var i = Interlocked.Increment(ref next); i < sends.Count; i = Interlocked.Increment(ref next))
                await bus.PublishAsync(sends[i], ct);
        }, ct)));
        Say($"published {sends.Count} ({sends.Count - Events} twice) in {flowing.Elapsed.TotalSeconds:0.0} s, " +
            $"{sends.Count / flowing.Elapsed.TotalSeconds:0}/s; {await ProgressAsync()} applied so far");
        await chaos;

        var ids = usages.Select(u => (RedisValue)u.EventId).ToArray();
        var queue = $"{_prefix}-usage-recorded";
        try
        {
            await Eventually.TrueAsync(async () => await ProgressAsync() >= Events // cheap first
                    && await AppliedAsync(ids) == Events
                    && await RabbitMqAdmin.MessageCountAsync(_market.Servers.RabbitMqUri, queue, ct) == 0,
                $"{queue} to drain and all {Events} usages to be applied", TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {await AppliedAsync(ids)} applied. Billing's last lines:\n{_billing!.Tail}", e);
        }
        Say($"all {Events} applied {flowing.Elapsed.TotalSeconds:0.0} s after the first usage was published, " +
            $"{Events / flowing.Elapsed.TotalSeconds:0}/s end to end");

        // Assert: every usage once, to the fen, and the postings balance.
        var mine = 0;
        await foreach (var _ in Ledger.SetScanAsync(Applied, $"usage:{lease.Allocations[0].HoldId}:*", 1000))
            mine++;
        Assert.Equal(Events, mine);

        var expected = ExpectedCharges.Of(lease, usages);
        var owed = await BalanceAsync($"tenant:{tenant}");
        var payable = await BalanceAsync($"provider:{provider}");
        var platform = await BalanceAsync("platform:fees") - feesBefore;
        Assert.Equal(expected.AmountFen, owed);
        Assert.Equal(-expected.PayableFen, payable);
        Assert.Equal(-expected.FeeFen, platform);
        Assert.Equal(0, owed + payable + platform);

        var postings = (await Ledger.ListRangeAsync($"billing:{{b}}:entries:tenant:{tenant}")).Select(p => (string)p!).ToList();
        var posted = postings.ToHashSet();
        var unposted = usages.Where(u => !posted.Contains($"post:{u.EventId}")) // posting ids as UsageDesk makes them
            .Select(u => $"{u.EventId} ({u.AcceleratorSeconds} s = {ExpectedCharges.Of(lease, [u]).AmountFen} fen)").ToList();
        Assert.True(postings.Count == Events,
            $"{postings.Count} postings in the tenant's entries, not {Events}; {unposted.Count} usages applied without one, " +
            $"e.g. {string.Join(", ", unposted.Take(8))}");
        Assert.Equal(0, postings.Count - posted.Count);

        Assert.Equal(0u, await CountOrZeroAsync($"{queue}_error", ct));
        await _billing!.KillAsync();
    }

    // SIGKILLs the child once the ledger passes each kill point, then starts a new one after a pause.
    async Task KillAndRestartAsync(IReadOnlyList<(int At, int Pause)> kills, CancellationToken ct)
    {
        var floor = 0L;
        foreach (var (at, pause) in kills)
        {
            // Never kill a child before it has applied anything: that would test start-up, not a crash.
            var point = Math.Min(Events, Math.Max(at, floor + 100));
            while (await ProgressAsync() < point)
                await Task.Delay(10, ct);
            await _billing!.KillAsync();
            floor = await ProgressAsync();
            Say($"kill -9 at {floor} applied (point {point}); restarting in {pause} ms");
            await Task.Delay(pause, ct);
            var restart = Stopwatch.StartNew();
            _billing = await StartBillingAsync(ct);
            Say($"restarted: port open after {restart.Elapsed.TotalSeconds:0.0} s");
            while (await ProgressAsync() == floor && floor < Events)
                await Task.Delay(20, ct);
            Say($"applying again {restart.Elapsed.TotalSeconds:0.0} s after the restart began"); // the real recovery time
        }
    }

    // The settings every service of the test market gets (servers, signing key, quiet logs), as environment
    // variables, with the child's own Redis database and queue prefix.
    Task<ServiceProcess> StartBillingAsync(CancellationToken ct)
    {
        var settings = MarketUnderTest.CommonSettings(_market.Servers);
        settings["ConnectionStrings:Redis"] += $",defaultDatabase={Database}";
        settings["Bus:EndpointPrefix"] = _prefix;
        return ServiceProcess.StartConfiguredAsync("Marketplace.Billing.dll", settings, ct);
    }

    // Events applied in database 3 since the test began (cheap; mine alone unless the Redis is shared).
    async Task<long> ProgressAsync() => await Ledger.SetLengthAsync(Applied) - _appliedBefore;

    async Task<int> AppliedAsync(RedisValue[] ids)
    {
        var applied = 0;
        foreach (var chunk in ids.Chunk(2000))
            applied += (await Ledger.SetContainsAsync(Applied, chunk)).Count(x => x);
        return applied;
    }

    async Task<long> BalanceAsync(string account) => (long)await Ledger.HashGetAsync(Balances, $"{account}|CNY");

    async Task<uint> CountOrZeroAsync(string queue, CancellationToken ct)
    {
        try { return await RabbitMqAdmin.MessageCountAsync(_market.Servers.RabbitMqUri, queue, ct); }
        catch (InvalidOperationException) { return 0; } // never created: nothing ever failed
    }

    static List<UsageRecorded> Shuffled(List<UsageRecorded> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    void Say(string line) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {line}");

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(_market.Servers.RedisConnectionString);

    public async Task DisposeAsync()
    {
        if (_billing is not null)
            await _billing.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
