using System.Diagnostics;
using Marketplace.Broker.V1;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Testing.Faults;
using Marketplace.Testing.Market;
using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Marketplace.Integration.Tests.Faults;

// A billing process of its own reaches RabbitMQ through a proxy: cut (connections reset, reconnects
// refused), then stalled (reconnects reach a black hole), healed, and then its live connection stalled
// (a partition only missed heartbeats reveal). Usage published meanwhile to the real RabbitMQ waits in
// billing's queue. Health must say when billing is cut off, and every usage is applied once it is back.
// Replay a run with MARKETPLACE_TEST_SEED=<the printed seed>.
[Collection(MarketCollection.Name)]
public sealed class Billing_through_a_rabbitmq_outage(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 7; // the fixture's services use 0-3
    const decimal PricePerHour = 3.33m;
    static readonly TimeSpan CutFor = TimeSpan.FromSeconds(20);
    static readonly TimeSpan StallFor = TimeSpan.FromSeconds(10);
    // A cut is seen at once; a stalled live connection only when heartbeats go missing, so allow 15 s.
    static readonly TimeSpan NoticeWithin = TimeSpan.FromSeconds(15);
    static readonly TimeSpan ReconnectWithin = TimeSpan.FromSeconds(60);

    readonly MarketUnderTest _market = fixture.Market;
    readonly Timeline _timeline = new(output);

    [Fact]
    public async Task Reports_rabbitmq_not_serving_while_cut_off_and_applies_what_waited_once_back()
    {
        var seed = FaultSettings.NewSeed();
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = timeout.Token;
        await using var proxy = TcpProxy.ToRabbitMq(_market.Servers.RabbitMqUri);
        await using var billing = await IsolatedBilling.StartAsync(_market, Database, "billing-amqp-out", rabbitMqProxy: proxy, ct: ct);
        Say($"seed {seed}, {FaultSettings.Usages} usages, queues {billing.Prefix}-*");
        await billing.WaitForHealthAsync("rabbitmq", ServingStatus.Serving, TimeSpan.FromSeconds(30));

        var lease = BillingSteps.Lease(Samples.UniqueId("tenant-amqp-out"), PricePerHour, provider: Samples.UniqueId("provider-amqp-out"));
        lease.Window.End = BillingSteps.At(BillingSteps.Hour0.AddHours(FaultSettings.Usages));
        var usages = Enumerable.Range(0, FaultSettings.Usages)
            .Select(hour => BillingSteps.Usage(lease, hour, acceleratorSeconds: random.Next(1, 7201))).Shuffled(random);
        var thirds = usages.Chunk((usages.Count + 2) / 3).ToList();
        var feesBefore = await billing.BalanceAsync("platform:fees");
        // The producer talks to the real RabbitMQ: only billing is cut off.
        await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
        await bus.OpenAsync(lease);
        await Eventually.TrueAsync(() => billing.KnowsLeaseAsync(lease.Id), $"billing to hear of lease {lease.Id}", TimeSpan.FromSeconds(30));
        Assert.True(proxy.Accepted > 0, "billing does not reach RabbitMQ through the proxy");

        // Cut, then at once a black hole: billing's reconnects are reset, then hang.
        proxy.Cut();
        await CutOffAsync(billing, "cut", CutFor, () => PublishAsync(bus, thirds[0], ct), thirds[0], ct);
        proxy.Stall();
        await CutOffAsync(billing, "black hole after the cut", StallFor, () => PublishAsync(bus, thirds[1], ct), [.. thirds[0], .. thirds[1]], ct);
        proxy.Pass();
        await BackAsync(billing, lease, [.. thirds[0], .. thirds[1]], ct);

        // A partition of the live connection.
        proxy.Stall();
        await CutOffAsync(billing, "stalled live connection", StallFor, () => PublishAsync(bus, thirds[2], ct), thirds[2], ct);
        proxy.Pass();
        await BackAsync(billing, lease, usages, ct);

        // Assert: every usage once, to the fen, none given up on, nothing left in the queue.
        await billing.AssertBilledOnceAsync(lease, usages, feesBefore);
        Assert.Equal(0u, await billing.ReadyAsync(billing.UsageQueue, ct));
        Assert.Equal(0u, await billing.ErrorCountAsync(ct));
    }

    // Billing must say it is cut off, stay so for `span`, and apply none of `waiting` meanwhile.
    async Task CutOffAsync(IsolatedBilling billing, string what, TimeSpan span, Func<Task> publish,
        IReadOnlyCollection<UsageRecorded> waiting, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await publish();
        var noticed = await billing.WaitForHealthAsync("rabbitmq", ServingStatus.NotServing, NoticeWithin);
        Say($"{what}: health 'rabbitmq' NOT_SERVING {clock.Elapsed.TotalSeconds:0.0} s in ({noticed.TotalSeconds:0.0} s of polling)");
        var rest = span - clock.Elapsed;
        if (rest > TimeSpan.Zero) await Task.Delay(rest, ct);
        Assert.Equal(ServingStatus.NotServing, await billing.HealthAsync("rabbitmq"));
        var applied = await billing.AppliedAsync(waiting);
        Say($"{what}: over after {clock.Elapsed.TotalSeconds:0.0} s; {applied} of the {waiting.Count} usages published meanwhile applied");
        Assert.True(applied == 0, $"{applied} usages applied during the {what}, though billing could not reach RabbitMQ");
    }

    // Billing reconnects on its own, says so, and applies every usage that waited.
    async Task BackAsync(IsolatedBilling billing, Lease lease, IReadOnlyCollection<UsageRecorded> expected, CancellationToken ct)
    {
        var back = await billing.WaitForHealthAsync("rabbitmq", ServingStatus.Serving, ReconnectWithin);
        Say($"health 'rabbitmq' SERVING {back.TotalSeconds:0.0} s after the proxy passed again");
        var clock = Stopwatch.StartNew();
        try
        {
            await Eventually.TrueAsync(async () => await billing.AppliedAsync(expected) == expected.Count,
                $"the {expected.Count} usages of lease {lease.Id} applied", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {await billing.AppliedAsync(expected)} applied, " +
                                       $"{await billing.ErrorCountAsync(ct)} dead-lettered. Billing's last lines:\n{billing.Process.Tail}", e);
        }
        Say($"{expected.Count} applied {clock.Elapsed.TotalSeconds:0.0} s after health said SERVING");
    }

    static async Task PublishAsync(RawBus bus, IEnumerable<UsageRecorded> usages, CancellationToken ct)
    {
        foreach (var usage in usages)
            await bus.PublishAsync(usage, ct);
    }

    void Say(string line) => _timeline.Say(line);
}
