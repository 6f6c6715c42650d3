using System.Diagnostics;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Testing.Market;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Faults;

// Out-of-order delivery is normal: the provider's meter and the broker publish independently, so usage can
// reach billing before its LeaseCreated. Such usage waits for its lease however long that takes; it is
// never a poison message. Everything goes straight to this billing's own queues, so the orphan never
// reaches the market's shared billing. Replay a run with MARKETPLACE_TEST_SEED=<the printed seed>.
[Collection(MarketCollection.Name)]
public sealed class Usage_before_its_lease(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 8; // the fixture's services use 0-3
    const int Early = 20;
    const decimal PricePerHour = 5.55m;
    // Longer than any in-memory retry (100 ms, 500 ms, 2 s): whatever happens now is not a quick retry.
    static readonly TimeSpan LeaseLateBy = TimeSpan.FromSeconds(5);

    readonly MarketUnderTest _market = fixture.Market;
    readonly Timeline _timeline = new(output);

    [Fact]
    public async Task Is_applied_exactly_once_when_its_lease_arrives_and_is_never_dead_lettered()
    {
        var seed = FaultSettings.NewSeed();
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        await using var billing = await IsolatedBilling.StartAsync(_market, Database, "billing-early", ct: ct);
        Say($"seed {seed}, queues {billing.Prefix}-*");

        var lease = BillingSteps.Lease(Samples.UniqueId("tenant-early"), PricePerHour, provider: Samples.UniqueId("provider-early"));
        var usages = Enumerable.Range(0, Early)
            .Select(hour => BillingSteps.Usage(lease, hour, acceleratorSeconds: random.Next(1, 7201))).ToList();
        var orphan = BillingSteps.Usage(BillingSteps.Lease(Samples.UniqueId("tenant-orphan"), PricePerHour), hour: 0);
        var feesBefore = await billing.BalanceAsync("platform:fees");
        await using var queue = await QueuePublisher.ConnectAsync(_market.Servers.RabbitMqUri);

        // Arrange: usage first, its lease only later; one usage's lease never comes at all.
        var early = Stopwatch.StartNew();
        foreach (var usage in usages.Append(orphan).Shuffled(random))
            await queue.PublishAsync(billing.UsageQueue, usage, ct);
        await Task.Delay(LeaseLateBy, ct);
        Assert.Equal(0, await billing.AppliedAsync(usages)); // nothing to rate them at yet
        var deadLettered = await billing.ErrorCountAsync(ct);
        Assert.True(deadLettered == 0, $"{deadLettered} usages dead-lettered {early.Elapsed.TotalSeconds:0.0} s after " +
                                       "arriving before their lease. Billing's last lines:\n" + billing.Process.Tail);

        // Act: the lease arrives.
        await queue.PublishAsync(billing.LeaseQueue, new LeaseCreated
        {
            EventId = "lease-created:" + lease.Id, OccurredAt = BillingSteps.At(BillingSteps.Hour0), Lease = lease,
        }, ct);
        var arrived = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => await billing.AppliedAsync(usages) == Early,
            $"the {Early} early usages applied once lease {lease.Id} arrived", TimeSpan.FromSeconds(30));
        Say($"{Early} usages applied {arrived.Elapsed.TotalSeconds:0.0} s after their lease, " +
            $"{early.Elapsed.TotalSeconds:0.0} s after they were published");

        // Assert: each once, to the fen; the orphan still waits, unapplied and not given up on.
        await billing.AssertBilledOnceAsync(lease, usages, feesBefore);
        Assert.Equal(0, await billing.AppliedAsync([orphan]));
        Assert.Equal(0u, await billing.ErrorCountAsync(ct));
        Say($"the orphan usage is not dead-lettered {early.Elapsed.TotalSeconds:0.0} s after it was published");
    }

    void Say(string line) => _timeline.Say(line);
}
