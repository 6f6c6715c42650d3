using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Integration.Tests.Faults;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Time;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Scale;

// The market on a 6-node Redis Cluster (3 masters, each with a replica) instead of one Redis: only the
// connection string differs, and writes wait for a replica (Redis:WaitForReplicas). Tenants accept leases
// that run on an accelerated clock; while they run, one master is killed with SIGKILL at a random moment
// and its replica takes over, more tenants accept through the failover, and the dead node comes back as a
// replica. Then: every lease started and ended exactly once, every hour of it metered, and every metered
// hour billed once to the fen: the ledger equals the usage, nothing lost, nothing twice.
// Replay with MARKETPLACE_TEST_SEED=<seed>.
[Collection(MarketCollection.Name)]
public sealed class A_market_on_a_redis_cluster(MarketFixture fixture, ITestOutputHelper output)
{
    const double Speed = 1800;         // half a market hour a second: a lease runs 6 s
    const decimal FeePercent = 10m;
    const string Model = "MLU370-X8", Region = "ningxia"; // no test of the shared market quotes these there
    const int Leases = 8, Units = 2, Hours = 3;
    const decimal PricePerHour = 4.37m;
    const int LeadHours = 6;           // a lease starts this long after its quote: 12 s, longer than a failover

    [Fact]
    public async Task Bills_every_hour_once_through_a_master_killed_mid_run()
    {
        var seed = FaultSettings.NewSeed();
        Say($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = timeout.Token;
        var clock = Stopwatch.StartNew();
        var run = Guid.NewGuid().ToString("N")[..6];

        await using var cluster = await RedisClusterProcess.StartAsync(ct);
        Say($"redis cluster up at {clock.Elapsed.TotalSeconds:0.0} s: masters {string.Join(", ", await cluster.MastersAsync(ct))}");
        await using var events = await RawEvents.ListenAsync(fixture.Market.Servers.RabbitMqUri,
            LeaseStarted.Descriptor, LeaseEnded.Descriptor, UsageRecorded.Descriptor);
        await using var market = await AcceleratedMarket.StartAsync(fixture.Market, database: 0, Speed, FeePercent,
            redis: cluster.ConnectionString, rabbitMq: null, more: [("Redis:WaitForReplicas", "1")]);

        var site = Samples.DataCenter($"cluster-site-{run}", $"cluster-provider-{run}");
        site.RegionId = site.HubId = Region;
        await market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = site });
        var offer = Samples.Offer(site.Id, PricePerHour, count: Leases * Units, days: 14);
        offer.AcceleratorModel = Model;
        offer = await market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = offer, IdempotencyKey = $"cluster-offer-{run}" });

        // Act: half the leases before the kill; a master dies while they run; the other half through the failover.
        var leases = new List<Lease>();
        for (var i = 0; i < Leases / 2; i++)
            leases.Add(await LeaseAsync(market, $"t-cluster-{run}-{i}", random, ct));
        await events.UntilAsync(seen => seen.Once<LeaseStarted>().Any(e => e.Lease.Id == leases[0].Id), TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1500)), ct);
        var masters = await cluster.MastersAsync(ct);
        var victim = masters[random.Next(masters.Count)];
        cluster.Kill(victim);
        var killedAt = clock.Elapsed;
        Say($"killed master :{victim} at {killedAt.TotalSeconds:0.0} s, market time {market.Now:u}");

        var later = Enumerable.Range(Leases / 2, Leases - Leases / 2)
            .Select(i => LeaseAsync(market, $"t-cluster-{run}-{i}", random, ct)).ToList();
        await cluster.WaitUntilServingAsync(victim, TimeSpan.FromSeconds(20), ct);
        Say($"every slot served again {(clock.Elapsed - killedAt).TotalSeconds:0.0} s after the kill: masters {string.Join(", ", await cluster.MastersAsync(ct))}");
        leases.AddRange(await Task.WhenAll(later));
        await cluster.RestartAsync(victim, ct);
        await cluster.WaitUntilHealthyAsync(ct);
        Say($"node :{victim} back as a replica at {clock.Elapsed.TotalSeconds:0.0} s; {leases.Count} leases accepted");

        // Assert: every lease started and ended once, and metered for each of its hours.
        var ids = leases.Select(l => l.Id).ToHashSet();
        var seen = await events.UntilAsync(all =>
            all.Once<LeaseEnded>().Count(e => ids.Contains(e.Lease.Id)) == Leases
            && leases.All(l => UsageOf(all, l).Sum(u => u.AcceleratorSeconds) >= Units * Hours * 3600L),
            TimeSpan.FromSeconds(90));
        foreach (var lease in leases)
        {
            Assert.Single(seen.Once<LeaseStarted>(), e => e.Lease.Id == lease.Id);
            Assert.Single(seen.Once<LeaseEnded>(), e => e.Lease.Id == lease.Id);
            Assert.Equal(Units * Hours * 3600L, UsageOf(seen, lease).Sum(u => u.AcceleratorSeconds));
        }

        // Every metered hour billed once, to the fen: one tenant posting per usage event, and what it owes.
        foreach (var lease in leases)
            await ScaleSteps.AssertBilledOnceAsync(market.BillingClient, lease, UsageOf(seen, lease).ToList(), FeePercent, Say, ct);
    }

    // A tenant's lease of the offer's next hours, as a real client gets it through a failover.
    async Task<Lease> LeaseAsync(AcceleratedMarket market, string tenant, Random random, CancellationToken ct)
    {
        var broker = market.BrokerAs(tenant);
        var leaseId = await ScaleSteps.LeaseThroughFaultsAsync(() => broker,
            () => ScaleSteps.Training(tenant, Model, Region, Units, Hours, WholeHours.Ceiling(market.Now).AddHours(LeadHours)),
            random, line => Say($"{tenant}: {line}"), TimeSpan.FromSeconds(60), ct);
        return await market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = leaseId }, cancellationToken: ct);
    }

    static IEnumerable<UsageRecorded> UsageOf(IReadOnlyList<Google.Protobuf.IMessage> seen, Lease lease) => ScaleSteps.UsageOf(seen, lease);

    void Say(string line) => output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] {line}");
}
