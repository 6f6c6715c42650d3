using System.Diagnostics;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Testing.Faults;
using Marketplace.Testing.Market;
using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Marketplace.Integration.Tests.Faults;

// A billing process of its own reaches Redis through a proxy that is cut in the middle of a steady flow of
// usage, some of it published twice. A Redis outage is no reason to give up on a message: when Redis is
// back, the ledger must be as if nothing had happened. Replay a run with MARKETPLACE_TEST_SEED=<seed>.
[Collection(MarketCollection.Name)]
public sealed class Billing_through_a_redis_outage(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 6; // the fixture's services use 0-3
    const decimal PricePerHour = 7.77m;
    const double DuplicateShare = 0.05;
    static readonly TimeSpan Lead = TimeSpan.FromSeconds(3); // usage flows this long before the cut and after it

    readonly MarketUnderTest _market = fixture.Market;
    readonly Timeline _timeline = new(output);

    [Fact]
    public async Task Applies_every_usage_exactly_once_once_redis_is_back()
    {
        var (seed, count, outage) = (FaultSettings.NewSeed(), FaultSettings.Usages, FaultSettings.RedisOutage);
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(outage + TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var proxy = TcpProxy.ToRedis(_market.Servers.RedisConnectionString);
        await using var billing = await IsolatedBilling.StartAsync(_market, Database, "billing-redis-out", redisProxy: proxy, ct: ct);
        Say($"seed {seed}, {count} usages, redis cut for {outage.TotalSeconds:0} s, queues {billing.Prefix}-*");

        var lease = BillingSteps.Lease(Samples.UniqueId("tenant-redis-out"), PricePerHour, provider: Samples.UniqueId("provider-redis-out"));
        lease.Window.End = BillingSteps.At(BillingSteps.Hour0.AddHours(count));
        var usages = Enumerable.Range(0, count)
            .Select(hour => BillingSteps.Usage(lease, hour, acceleratorSeconds: random.Next(1, 7201))).ToList();
        var sends = usages.Concat(usages.Where(_ => random.NextDouble() < DuplicateShare)).Shuffled(random);
        var feesBefore = await billing.BalanceAsync("platform:fees");
        await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
        await bus.OpenAsync(lease);
        await Eventually.TrueAsync(() => billing.KnowsLeaseAsync(lease.Id), $"billing to hear of lease {lease.Id}", TimeSpan.FromSeconds(30));
        Assert.True(proxy.Accepted > 0, "billing does not reach Redis through the proxy");

        // Act: one steady producer over lead + outage + lead; Redis is cut once the first usages are applied.
        var published = 0;
        var producing = Task.Run(() => PublishSteadilyAsync(bus, sends, Lead + outage + Lead, () => Interlocked.Increment(ref published), ct), ct);
        await Task.Delay(Lead, ct);
        await Eventually.TrueAsync(async () => await billing.AppliedAsync(usages) > 0, "the first usages applied", TimeSpan.FromSeconds(15));
        proxy.Cut();
        var cut = Stopwatch.StartNew();
        var publishedBeforeCut = Volatile.Read(ref published);
        Say($"redis cut: {publishedBeforeCut} of {sends.Count} published, {await billing.AppliedAsync(usages)} applied");

        var noticed = await billing.WaitForHealthAsync("redis", ServingStatus.NotServing, TimeSpan.FromSeconds(10));
        Say($"health 'redis' NOT_SERVING {noticed.TotalSeconds:0.0} s after the cut");
        await Task.Delay(Max(TimeSpan.Zero, outage - cut.Elapsed - TimeSpan.FromSeconds(3)), ct);
        Assert.Equal(ServingStatus.NotServing, await billing.HealthAsync("redis")); // and still at the outage's end
        await Task.Delay(Max(TimeSpan.Zero, outage - cut.Elapsed), ct);
        var appliedInOutage = await billing.AppliedAsync(usages);
        proxy.Pass();
        Say($"redis back after {cut.Elapsed.TotalSeconds:0.0} s: {Volatile.Read(ref published)} published, {appliedInOutage} applied");
        // Nothing published after the cut can have reached a ledger billing could not reach.
        Assert.True(appliedInOutage <= publishedBeforeCut,
            $"{appliedInOutage} usages applied while Redis was cut, but only {publishedBeforeCut} were published before the cut");

        var back = await billing.WaitForHealthAsync("redis", ServingStatus.Serving, TimeSpan.FromSeconds(30));
        Say($"health 'redis' SERVING {back.TotalSeconds:0.0} s after Redis came back");
        await producing;
        var healed = Stopwatch.StartNew();
        try
        {
            await Eventually.TrueAsync(async () => await billing.AppliedAsync(usages) == count
                    && await billing.ReadyAsync(billing.UsageQueue, ct) == 0,
                $"all {count} usages applied and {billing.UsageQueue} drained", TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {await billing.AppliedAsync(usages)} applied, " +
                                       $"{await billing.ErrorCountAsync(ct)} dead-lettered. Billing's last lines:\n{billing.Process.Tail}", e);
        }
        Say($"all {count} applied and the queue drained {healed.Elapsed.TotalSeconds:0.0} s after the last usage was published");

        // Assert: every usage once, to the fen, and none given up on.
        await billing.AssertBilledOnceAsync(lease, usages, feesBefore);
        Assert.Equal(0u, await billing.ErrorCountAsync(ct));
    }

    // Spreads the sends evenly over `span`, as a meter ticking through the outage would.
    static async Task PublishSteadilyAsync(RawBus bus, IReadOnlyList<UsageRecorded> sends, TimeSpan span, Action sent,
        CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < sends.Count; i++)
        {
            var due = span * i / sends.Count - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due, ct);
            await bus.PublishAsync(sends[i], ct);
            sent();
        }
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    void Say(string line) => _timeline.Say(line);
}
