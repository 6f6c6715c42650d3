using System.Diagnostics;
using Marketplace.Broker.V1;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Testing.Faults;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;
using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Marketplace.Integration.Tests.Faults;

// The broker alone loses RabbitMQ (a partition: connections stall; then an outage: they are reset)
// while tenants accept and the provider meters. Accepts still succeed, their LeaseCreated wait in the
// outbox, usage that billing receives first waits for its lease, and once the broker is back every
// hour is billed once. Health says NOT_SERVING for RabbitMQ while it is away.
// MARKETPLACE_PARTITION_SECONDS sets how long (default 40: half stalled, half cut).
[Collection(MarketCollection.Name)]
public sealed class A_broker_cut_off_from_rabbitmq(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 10;
    const decimal Band = 0.0076m;
    const int Leases = 4, HoursEach = 3;
    readonly MarketUnderTest _market = fixture.Market;
    readonly Stopwatch _clock = Stopwatch.StartNew();

    static TimeSpan Partition => FaultSettings.BrokerPartition;

    [Fact]
    public async Task Accepts_meanwhile_and_bills_every_hour_once_it_is_back()
    {
        using var timeout = new CancellationTokenSource(Partition + TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        await using var rabbit = TcpProxy.ToRabbitMq(_market.Servers.RabbitMqUri);
        var offer = await _market.OfferInBandAsync(Band, count: 64);
        await using var broker = await IsolatedBroker.StartAsync(_market, Database, rabbit, ct);
        var quotes = new List<Quote>();
        for (var t = 0; t < Leases; t++)
            quotes.Add(await _market.QuoteOnAsyncWith(broker.Client, BrokerSteps.Batch($"tenant-partition-{t}", 4, HoursEach, Band), offer));
        Assert.Equal(ServingStatus.Serving, await broker.HealthAsync("rabbitmq"));
        var errorsBefore = await ErrorCountAsync(ct);

        // Act: the broker's link to RabbitMQ stalls, then is reset; tenants accept meanwhile.
        rabbit.Stall();
        var cutAt = _clock.Elapsed;
        Say($"RabbitMQ stalled for the broker ({Partition.TotalSeconds:0} s in all)");
        await WaitForHealthAsync(broker, ServingStatus.NotServing, TimeSpan.FromSeconds(15));
        Say("health rabbitmq NOT_SERVING while stalled");
        var leases = new List<Lease>();
        foreach (var quote in quotes)
            leases.Add(await broker.Client.AcceptQuoteAsync(
                new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = "partition-" + quote.Id },
                deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: ct));
        Say($"{leases.Count} leases accepted while the broker cannot reach RabbitMQ");

        // The meter's hours reach billing (its own link is fine) before billing has heard of their leases.
        var usages = leases.SelectMany(l => Enumerable.Range(0, HoursEach).Select(h => BillingSteps.Usage(l, h))).ToList();
        await using (var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri))
            foreach (var usage in usages)
                await bus.PublishAsync(usage, ct);
        Assert.Equal(Leases, await broker.UnsentEventsAsync());

        await UntilAsync(cutAt + Partition / 2, ct);
        rabbit.Cut();
        Say("RabbitMQ now refuses the broker outright");
        Assert.Equal(ServingStatus.NotServing, await broker.HealthAsync("rabbitmq"));
        var billing = broker.FixtureStore;
        Assert.False(await billing.KeyExistsAsync($"billing:{{b}}:lease:{leases[0].Id}"), "billing heard of a lease through a cut link");
        await UntilAsync(cutAt + Partition, ct);

        // The link comes back: the outbox drains and every parked hour is billed.
        rabbit.Pass();
        var healed = _clock.Elapsed;
        Say("RabbitMQ back for the broker");
        await WaitForHealthAsync(broker, ServingStatus.Serving, TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => await broker.UnsentEventsAsync() == 0, "the outbox to drain", TimeSpan.FromSeconds(60));
        var ids = usages.Select(u => (RedisValue)u.EventId).ToArray();
        await Eventually.TrueAsync(async () => (await billing.SetContainsAsync("billing:{b}:applied", ids)).All(x => x),
            $"all {usages.Count} hours billed", TimeSpan.FromSeconds(60));
        Say($"outbox drained and {usages.Count} hours billed {(_clock.Elapsed - healed).TotalSeconds:0.0} s after the link came back");

        // Assert: each hour once, at the lease's price, and nothing dead-lettered.
        foreach (var lease in leases)
        {
            var allocation = lease.Allocations[0];
            var fen = HoursEach * (long)Math.Round(BillingSteps.Usage(lease, 0).AcceleratorSeconds * allocation.PricePerHour.ToDecimal() * 100 / 3600,
                MidpointRounding.AwayFromZero);
            Assert.Equal(fen, (long)await billing.HashGetAsync("billing:{b}:balances", $"tenant:{lease.TenantId}|CNY"));
        }
        Assert.Equal(errorsBefore, await ErrorCountAsync(ct));
    }

    async Task WaitForHealthAsync(IsolatedBroker broker, ServingStatus expected, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        ServingStatus? last = null;
        while ((last = await broker.HealthAsync("rabbitmq")) != expected)
        {
            if (clock.Elapsed > within)
                throw new TimeoutException($"broker's health rabbitmq was {last?.ToString() ?? "no answer"}, not {expected}, " +
                                           $"after {within.TotalSeconds:0} s. Broker's last lines:\n{broker.Process.Tail}");
            await Task.Delay(200);
        }
    }

    async Task<uint> ErrorCountAsync(CancellationToken ct)
    {
        try { return await RabbitMqAdmin.MessageCountAsync(_market.Servers.RabbitMqUri, "billing-usage-recorded_error", ct); }
        catch (InvalidOperationException) { return 0; }
    }

    async Task UntilAsync(TimeSpan at, CancellationToken ct)
    {
        if (at > _clock.Elapsed)
            await Task.Delay(at - _clock.Elapsed, ct);
    }

    void Say(string line) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {line}");
}
