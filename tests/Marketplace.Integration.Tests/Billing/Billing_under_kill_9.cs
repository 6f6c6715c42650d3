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
    const int Database = 3; // the in-process billing of the fixture writes database 0
    const decimal PricePerHour = 9.87m;

    readonly MarketUnderTest _market = fixture.Market;
    readonly string _prefix = $"billing-crash-{Guid.NewGuid():N}"[..22];
    readonly Stopwatch _clock = Stopwatch.StartNew();
    ConnectionMultiplexer _redis = null!;
    ServiceProcess? _billing;
    int _published;

    IDatabase Ledger => _redis.GetDatabase(Database);

    [Fact]
    public async Task Applies_every_usage_exactly_once_while_killed_and_restarted_three_times()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MARKETPLACE_TEST_SEED"), out var s) ? s : Random.Shared.Next();
        Say($"seed {seed}, queues {_prefix}-*");
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = timeout.Token;

        var tenant = Samples.UniqueId("tenant-kill9");
        var provider = Samples.UniqueId("provider-kill9");
        var lease = BillingSteps.Lease(tenant, PricePerHour, provider: provider);
        lease.Window.End = BillingSteps.At(BillingSteps.Hour0.AddHours(Events));
        var usages = Enumerable.Range(0, Events)
            .Select(hour => BillingSteps.Usage(lease, hour, acceleratorSeconds: random.Next(1, 7201))).ToList();
        var sends = Shuffled(usages.Concat(usages.Where(_ => random.NextDouble() < DuplicateShare)).ToList(), random);
        var kills = Enumerable.Range(0, Kills)
            .Select(k => (At: (int)(sends.Count * (k + 0.5 + random.NextDouble()) / (Kills + 1)), Pause: random.Next(100, 1500)))
            .ToList();
        var feesBefore = await BalanceAsync("platform:fees");

        // Arrange: the child's queues exist and are bound before anything is published to them.
        _billing = await StartBillingAsync(ct);
        await using (var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri))
            await bus.OpenAsync(lease);
        await Eventually.TrueAsync(() => Ledger.KeyExistsAsync($"billing:{{b}}:lease:{lease.Id}"),
            $"the billing child to hear of lease {lease.Id}", TimeSpan.FromSeconds(30));

        // Act: a duplicating producer publishes with confirms while the consumer is killed and restarted.
        var publishing = Stopwatch.StartNew();
        var chaos = Task.Run(() => KillAndRestartAsync(kills, ct), ct);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(_ => Task.Run(async () =>
        {
            await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
            for (var i = Interlocked.Increment(ref next); i < sends.Count; i = Interlocked.Increment(ref next))
            {
                await bus.PublishAsync(sends[i], ct);
                Interlocked.Increment(ref _published);
            }
        }, ct)));
        Say($"published {sends.Count} ({sends.Count - Events} duplicates) in {publishing.Elapsed.TotalSeconds:0.0} s: " +
            $"{sends.Count / publishing.Elapsed.TotalSeconds:0} events/s");
        await chaos;

        var ids = usages.Select(u => (RedisValue)u.EventId).ToArray();
        var queue = $"{_prefix}-usage-recorded";
        var entriesKey = $"billing:{{b}}:entries:tenant:{tenant}";
        await Eventually.TrueAsync(async () => await Ledger.ListLengthAsync(entriesKey) >= Events // cheap first
                && await AppliedAsync(ids) == Events
                && await RabbitMqAdmin.MessageCountAsync(_market.Servers.RabbitMqUri, queue, ct) == 0,
            $"{queue} to drain and all {Events} usages to be applied", TimeSpan.FromMinutes(3));
        Say($"all applied {publishing.Elapsed.TotalSeconds:0.0} s after the first usage was published: " +
            $"{Events / publishing.Elapsed.TotalSeconds:0} events/s end to end");

        // Assert: every usage once, to the fen, and the postings balance.
        var mine = 0;
        await foreach (var _ in Ledger.SetScanAsync("billing:{b}:applied", $"usage:{lease.Allocations[0].HoldId}:*", 1000))
            mine++;
        Assert.Equal(Events, mine);

        var amounts = usages.Select(u => (long)Math.Round(u.AcceleratorSeconds * PricePerHour * 100 / 3600, MidpointRounding.AwayFromZero)).ToList();
        var fees = amounts.Sum(a => (long)Math.Round(a / 10m, MidpointRounding.AwayFromZero));
        var owed = await BalanceAsync($"tenant:{tenant}");
        var payable = await BalanceAsync($"provider:{provider}");
        var platform = await BalanceAsync("platform:fees") - feesBefore;
        Assert.Equal(amounts.Sum(), owed);
        Assert.Equal(-(amounts.Sum() - fees), payable);
        Assert.Equal(-fees, platform);
        Assert.Equal(0, owed + payable + platform);

        var entries = await Ledger.ListRangeAsync(entriesKey);
        Assert.Equal(Events, entries.Length);
        Assert.Equal(0, entries.Length - entries.Distinct().Count());

        Assert.Equal(0u, await CountOrZeroAsync($"{queue}_error", ct));
    }

    // Waits for the publishers to pass each kill point, then SIGKILLs the child and starts a new one.
    async Task KillAndRestartAsync(IReadOnlyList<(int At, int Pause)> kills, CancellationToken ct)
    {
        foreach (var (at, pause) in kills)
        {
            while (Volatile.Read(ref _published) < at)
                await Task.Delay(5, ct);
            await _billing!.KillAsync();
            Say($"kill -9 after {Volatile.Read(ref _published)} published, {await Ledger.SetLengthAsync("billing:{b}:applied")} applied; " +
                $"restarting in {pause} ms");
            await Task.Delay(pause, ct);
            var restart = Stopwatch.StartNew();
            _billing = await StartBillingAsync(ct);
            Say($"restarted in {restart.Elapsed.TotalSeconds:0.0} s");
        }
    }

    Task<ServiceProcess> StartBillingAsync(CancellationToken ct) =>
        ServiceProcess.StartAsync("Marketplace.Billing.dll", new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = $"{_market.Servers.RedisConnectionString},defaultDatabase={Database}",
            ["ConnectionStrings__RabbitMq"] = _market.Servers.RabbitMqUri.ToString(),
            ["Bus__EndpointPrefix"] = _prefix,
            ["Logging__LogLevel__Default"] = "Warning",
        }, ct);

    async Task<int> AppliedAsync(RedisValue[] ids)
    {
        var applied = 0;
        foreach (var chunk in ids.Chunk(2000))
            applied += (await Ledger.SetContainsAsync("billing:{b}:applied", chunk)).Count(x => x);
        return applied;
    }

    async Task<long> BalanceAsync(string account) =>
        (long)await Ledger.HashGetAsync("billing:{b}:balances", $"{account}|CNY");

    async Task<uint> CountOrZeroAsync(string queue, CancellationToken ct)
    {
        try { return await RabbitMqAdmin.MessageCountAsync(_market.Servers.RabbitMqUri, queue, ct); }
        catch (InvalidOperationException) { return 0; } // never created: nothing failed
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
