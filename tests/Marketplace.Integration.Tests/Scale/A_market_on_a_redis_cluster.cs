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
        {
            var usages = UsageOf(seen, lease).ToList();
            var expected = ExpectedCharges.Of(lease, usages, FeePercent);
            var entries = await Eventually.GetAsync(async () =>
            {
                var found = await TenantEntriesAsync(market.BillingClient, lease.TenantId, ct);
                return found.Count >= usages.Count ? found : null;
            }, $"the postings of {lease.Id}", TimeSpan.FromSeconds(30));
            Say($"{lease.Id}: {usages.Count} usages, {entries.Count} postings, owes {entries.Sum(e => e.Amount.ToDecimal())} (expected {expected.AmountFen / 100m})");
            Assert.Equal(usages.Count, entries.Count);
            Assert.Equal(usages.Count, entries.Select(e => e.PostingId).Distinct().Count());
            Assert.Equal(expected.AmountFen / 100m, entries.Sum(e => e.Amount.ToDecimal()));
        }
    }

    // A tenant's lease of the offer's next hours, as a real client gets it through an outage: each call with a
    // deadline, and the same request again (same idempotency key) while the market answers "try again".
    async Task<Lease> LeaseAsync(AcceleratedMarket market, string tenant, Random random, CancellationToken ct)
    {
        var broker = market.BrokerAs(tenant);
        var deadlineRandom = new Random(random.Next());
        var clock = Stopwatch.StartNew();
        AcceptAnswer answer;
        do // a quote answered while its write failed is "not found" on accept: the client asks for a fresh one
        {
            var request = Demand(tenant, Marketplace.ServiceDefaults.Time.WholeHours.Ceiling(market.Now).AddHours(LeadHours));
            var quote = await Eventually.GetAsync(async () =>
            {
                try { return (await broker.RequestQuoteAsync(request, deadline: DateTime.UtcNow.AddSeconds(3), cancellationToken: ct)).Options.FirstOrDefault(); }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted) { return null; }
            }, $"a quote for {tenant}", TimeSpan.FromSeconds(40));
            var accept = new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = $"accept-{quote.Id}" };
            do // "try again" while a failover runs: with a pause between rounds, as a real client backs off
            {
                answer = await broker.AcceptLikeAnImpatientClientAsync(accept,
                    () => AcceptSteps.ClientDeadline(deadlineRandom, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3)),
                    tries: 3, clock, a => { if (a.ToRetry || a.Status == StatusCode.NotFound) Say($"{tenant}: {a}"); }, ct);
            } while (answer.ToRetry && clock.Elapsed < TimeSpan.FromSeconds(60) && await Pause(ct));
        } while (answer.Status == StatusCode.NotFound && clock.Elapsed < TimeSpan.FromSeconds(60));
        Assert.True(answer.LeaseId is not null, $"{tenant}'s accept ended {answer}");
        return await market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = answer.LeaseId }, cancellationToken: ct);
    }

    static QuoteRequest Demand(string tenant, DateTimeOffset start) => new()
    {
        TenantId = tenant,
        AcceleratorHours = new AcceleratorHours { AcceleratorModel = Model, Hours = Units * Hours },
        Accelerators = Units,
        Workload = WorkloadKind.Training,
        Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddHours(Hours)) },
        AllowedRegionIds = { Region },
    };

    static async Task<bool> Pause(CancellationToken ct)
    {
        await Task.Delay(250, ct);
        return true;
    }

    static IEnumerable<UsageRecorded> UsageOf(IReadOnlyList<Google.Protobuf.IMessage> seen, Lease lease) =>
        seen.Once<UsageRecorded>().Where(u => u.LeaseId == lease.Id);

    static async Task<List<LedgerEntry>> TenantEntriesAsync(BillingService.BillingServiceClient billing, string tenant, CancellationToken ct)
    {
        var entries = new List<LedgerEntry>();
        var token = "";
        do
        {
            var page = await billing.ListLedgerEntriesAsync(new ListLedgerEntriesRequest
            {
                Account = new AccountRef { Kind = AccountKind.Tenant, OwnerId = tenant }, PageSize = 500, PageToken = token,
            }, cancellationToken: ct);
            entries.AddRange(page.Entries);
            token = page.NextPageToken;
        } while (token.Length > 0);
        return entries;
    }

    void Say(string line) => output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] {line}");
}
