using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Integration.Tests.Faults;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Scale;

// The market scaled out on one machine: 2 providers, 3 brokers and 2 billings, each its own process, on a
// 3-node RabbitMQ cluster and a 6-node Redis Cluster, on one accelerated clock. An offer published at one
// provider reaches every broker's quotes within 5 s, and so does its price change made at the other.
// Tenants accept through different brokers. Mid-run one RabbitMQ node, one Redis master and one broker get
// SIGKILL, in an order and at moments the printed seed chooses; the servers come back, the broker does not.
// Then every lease started and ended exactly once, every hour of it was metered, and every metered hour was
// billed once, to the fen: the ledger equals the usage, nothing lost, nothing twice.
// Replay with MARKETPLACE_TEST_SEED=<seed>; MARKETPLACE_TEST_CLUSTER_LEASES=<n> runs a longer variant.
[Collection(MarketCollection.Name)]
public sealed class A_market_on_clusters(ITestOutputHelper output)
{
    const double Speed = 1200;         // a market hour every 3 s: a lease runs 9 s
    const decimal FeePercent = 10m;
    const string Model = "MLU370-X8", Region = "gansu";
    const int Units = 2, Hours = 3, LeadHours = 8;
    const decimal FirstPrice = 5.20m, SecondPrice = 4.85m;
    static readonly TimeSpan CatalogWithin = TimeSpan.FromSeconds(5);
    static int Leases => int.TryParse(Environment.GetEnvironmentVariable("MARKETPLACE_TEST_CLUSTER_LEASES"), out var n) && n >= 6 ? n : 9;

    [Fact]
    public async Task Bills_every_hour_once_through_a_rabbitmq_node_a_redis_master_and_a_broker_killed()
    {
        var seed = FaultSettings.NewSeed();
        Say($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}; {Leases} leases");
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var ct = timeout.Token;
        var clock = Stopwatch.StartNew();
        var run = Guid.NewGuid().ToString("N")[..6];

        var redisStart = RedisClusterProcess.StartAsync(ct);
        var rabbitStart = RabbitMqClusterProcess.StartAsync(ct);
        await using var redis = await redisStart;
        await using var rabbit = await rabbitStart;
        Say($"clusters up at {clock.Elapsed.TotalSeconds:0.0} s: redis masters {string.Join(", ", await redis.MastersAsync(ct))}, rabbitmq {rabbit.ConnectionString}");

        // The events, read on a node that is never killed (node 0); the kill takes node 1 or 2.
        await using var events = await RawEvents.ListenAsync(rabbit.NodeUri(0),
            LeaseCreated.Descriptor, LeaseStarted.Descriptor, LeaseEnded.Descriptor, UsageRecorded.Descriptor);

        var common = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Redis:WaitForReplicas"] = "1",
            ["ConnectionStrings:RabbitMq"] = rabbit.ConnectionString,
            ["Auth:SigningKey"] = MarketUnderTest.SigningKey,
            ["MarketClock:Speed"] = Speed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MarketClock:Anchor"] = _anchor.ToString("O"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using var services = new Services();
        var providers = await services.StartAsync("Marketplace.Provider.dll", 2, MarketUnderTest.With(common, ("Provider:MeterInterval", "00:00:00.200")), ct);
        var billings = await services.StartAsync("Marketplace.Billing.dll", 2, MarketUnderTest.With(common, ("Billing:PlatformFeePercent", "10"),
            ("Billing:LedgerShards", "3")), ct); // the ledger in shards by tenant, one on each master
        var brokers = await services.StartAsync("Marketplace.Broker.dll", 3, MarketUnderTest.With(common,
            ("Broker:ProviderAddress", Static(providers)), ("Broker:BillingAddress", Static(billings)),
            ("Broker:LeaseTickInterval", "00:00:00.200"), ("Broker:Quoting:MaxOptions", "100"),
            // An accept its broker died in is undone within seconds, so the tenant's retry through another broker
            // does not outwait the quote.
            ("Broker:AcceptTimeout", "00:00:05"), ("Broker:AcceptStaleAfter", "00:00:06"), ("Broker:AcceptRecoveryInterval", "00:00:01"),
            ("Broker:HoldTtl", "00:00:10")), ct);
        Say($"2 providers, 2 billings and 3 brokers up at {clock.Elapsed.TotalSeconds:0.0} s");

        // An offer published at provider A, repriced at provider B: every broker quotes each within 5 s.
        var operatorToken = MarketUnderTest.TokenFor(MarketRoles.Operator, "operator-clusters");
        var atA = new ProviderService.ProviderServiceClient(services.Channel(providers[0], operatorToken));
        var atB = new ProviderService.ProviderServiceClient(services.Channel(providers[1], operatorToken));
        var site = Samples.DataCenter($"clusters-site-{run}", $"clusters-provider-{run}");
        site.RegionId = site.HubId = Region;
        await atA.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = site }, cancellationToken: ct);
        var published = Samples.Offer(site.Id, FirstPrice, count: Leases * Units, days: 14);
        published.AcceleratorModel = Model;
        var offer = await atA.PublishOfferAsync(new PublishOfferRequest { Offer = published, IdempotencyKey = $"clusters-offer-{run}" }, cancellationToken: ct);
        Say($"every broker quotes the new offer {await EveryBrokerQuotesAsync(services, brokers, offer.Id, FirstPrice, ct):0.00} s after it was published");
        await atB.ChangeOfferAsync(new ChangeOfferRequest { OfferId = offer.Id, PricePerHour = Money.FromDecimal(SecondPrice, "CNY") }, cancellationToken: ct);
        Say($"every broker quotes its new price {await EveryBrokerQuotesAsync(services, brokers, offer.Id, SecondPrice, ct):0.00} s after the change");

        // Act: a third of the leases before the faults, the rest while they happen; each tenant through a broker of its own.
        var leases = new List<Lease>();
        for (var i = 0; i < Leases / 3; i++)
            leases.Add(await LeaseAsync(services, brokers, i, $"t-clusters-{run}-{i}", random, ct));
        var rabbitVictim = 1 + random.Next(2);
        var brokerVictim = random.Next(brokers.Count);
        var faults = new List<Func<Task>>
        {
            async () => { await rabbit.KillAsync(rabbitVictim); Say($"killed rabbitmq node {rabbitVictim}"); },
            async () =>
            {
                var masters = await redis.MastersAsync(ct);
                var master = masters[random.Next(masters.Count)];
                redis.Kill(master);
                Say($"killed redis master :{master}");
                await redis.WaitUntilServingAsync(master, TimeSpan.FromSeconds(30), ct);
                Say("redis: a replica took over");
                await redis.RestartAsync(master, ct);
            },
            async () => { await brokers[brokerVictim].KillAsync(); Say($"killed broker {brokerVictim}"); },
        }.OrderBy(_ => random.Next()).ToList();
        var later = new List<Task<Lease>>();
        var next = Leases / 3;
        foreach (var fault in faults)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 1500)), ct);
            await fault();
            for (var n = 0; n < (Leases - Leases / 3) / faults.Count; n++, next++)
                later.Add(LeaseAsync(services, brokers, next, $"t-clusters-{run}-{next}", random, ct));
        }
        for (; next < Leases; next++)
            later.Add(LeaseAsync(services, brokers, next, $"t-clusters-{run}-{next}", random, ct));
        leases.AddRange(await Task.WhenAll(later));
        await rabbit.StartAgainAsync(rabbitVictim, ct);
        await redis.WaitUntilHealthyAsync(ct);
        Say($"{leases.Count} leases accepted; rabbitmq node {rabbitVictim} and the redis node back at {clock.Elapsed.TotalSeconds:0.0} s");

        // Assert: every lease started and ended once, metered for each of its hours.
        var ids = leases.Select(l => l.Id).ToHashSet();
        var seen = await events.UntilAsync(all =>
            all.Once<LeaseEnded>().Count(e => ids.Contains(e.Lease.Id)) == leases.Count
            && leases.All(l => UsageOf(all, l).Sum(u => u.AcceleratorSeconds) >= Units * Hours * 3600L),
            TimeSpan.FromSeconds(120));
        foreach (var lease in leases)
        {
            Assert.Single(seen.Once<LeaseCreated>(), e => e.Lease.Id == lease.Id);
            Assert.Single(seen.Once<LeaseStarted>(), e => e.Lease.Id == lease.Id);
            Assert.Single(seen.Once<LeaseEnded>(), e => e.Lease.Id == lease.Id);
            Assert.Equal(Units * Hours * 3600L, UsageOf(seen, lease).Sum(u => u.AcceleratorSeconds));
        }

        // Every metered hour billed once, to the fen, whichever billing took it.
        var billing = new BillingService.BillingServiceClient(services.Channel(billings[random.Next(billings.Count)], operatorToken));
        foreach (var lease in leases)
            await ScaleSteps.AssertBilledOnceAsync(billing, lease, UsageOf(seen, lease).ToList(), FeePercent, _ => { }, ct);
        Say($"{leases.Count} leases, {leases.Sum(l => UsageOf(seen, l).Count())} usages, each billed once at {clock.Elapsed.TotalSeconds:0.0} s");
    }

    // Tenant i accepts through broker i of the live ones, as a real client gets a lease through a failover.
    async Task<Lease> LeaseAsync(Services services, IReadOnlyList<ServiceProcess> brokers, int i, string tenant, Random random, CancellationToken ct)
    {
        var token = MarketUnderTest.TokenFor(MarketRoles.Tenant, tenant);
        BrokerService.BrokerServiceClient Live()
        {
            var live = brokers.Where(b => !b.HasExited).ToList();
            return new BrokerService.BrokerServiceClient(services.Channel(live[i % live.Count], token));
        }
        var leaseId = await ScaleSteps.LeaseThroughFaultsAsync(Live, () => Demand(tenant, MarketNow()), random,
            line => Say($"{tenant}: {line}"), TimeSpan.FromSeconds(120), ct);
        return await Live().GetLeaseAsync(new GetLeaseRequest { LeaseId = leaseId }, cancellationToken: ct);
    }

    static QuoteRequest Demand(string tenant, DateTimeOffset now) =>
        ScaleSteps.Training(tenant, Model, Region, Units, Hours, Marketplace.ServiceDefaults.Time.WholeHours.Ceiling(now).AddHours(LeadHours));

    // Every broker quotes the offer at the price: seconds from now until the last one did, at most 5 s.
    async Task<double> EveryBrokerQuotesAsync(Services services, IReadOnlyList<ServiceProcess> brokers, string offerId, decimal price, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var token = MarketUnderTest.TokenFor(MarketRoles.Tenant, "tenant-clusters-probe");
        foreach (var process in brokers)
        {
            var broker = new BrokerService.BrokerServiceClient(services.Channel(process, token));
            await Eventually.TrueAsync(async () =>
            {
                return (await broker.TryQuoteAsync(Demand("tenant-clusters-probe", MarketNow())))?.Options
                    .Any(o => o.Placements.All(p => p.OfferId == offerId && p.PricePerHour.ToDecimal() == price)) == true;
            }, $"{offerId} at {price} quoted by broker :{process.Port}", CatalogWithin - clock.Elapsed);
        }
        return clock.Elapsed.TotalSeconds;
    }

    // Market time, as every service of this market computes it from the anchor and speed it was given.
    readonly DateTimeOffset _anchor = DateTimeOffset.UtcNow;

    DateTimeOffset MarketNow() => _anchor + TimeSpan.FromTicks((long)((DateTimeOffset.UtcNow - _anchor).Ticks * Speed));

    static string Static(IReadOnlyList<ServiceProcess> replicas) => "static:///" + string.Join(',', replicas.Select(r => $"127.0.0.1:{r.Port}"));

    static IEnumerable<UsageRecorded> UsageOf(IReadOnlyList<Google.Protobuf.IMessage> seen, Lease lease) => ScaleSteps.UsageOf(seen, lease);

    // The service processes of this market and the channels to them, all stopped at the end.
    sealed class Services : IAsyncDisposable
    {
        readonly List<ServiceProcess> _processes = [];
        readonly List<GrpcChannel> _channels = [];

        public async Task<IReadOnlyList<ServiceProcess>> StartAsync(string dll, int count, Dictionary<string, string?> settings, CancellationToken ct)
        {
            var started = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => ServiceProcess.StartConfiguredAsync(dll, settings, ct)));
            lock (_processes)
                _processes.AddRange(started);
            return started;
        }

        public GrpcChannel Channel(ServiceProcess process, string token)
        {
            var channel = TestChannels.For(process.Address, token);
            lock (_channels)
                _channels.Add(channel);
            return channel;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var channel in _channels)
                channel.Dispose();
            await Task.WhenAll(_processes.Select(p => p.DisposeAsync().AsTask()));
        }
    }

    void Say(string line) => output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] {line}");
}
