using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Time;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Marketplace.Integration.Tests.Faults;

// The market on a three-node RabbitMQ cluster, given the node list. Tenants accept leases over half a
// minute of an accelerated clock; meanwhile the first node, the one every service is connected to, dies
// by kill -9 and comes back a while later. Every AcceptQuote must answer within its deadline, every
// LeaseCreated and LeaseEnded must be published, and every metered hour billed once: the ledger is the
// usage. The services' queues are quorum queues with a member on each node.
// Replay a run with MARKETPLACE_TEST_SEED=<the printed seed>.
[Collection(MarketCollection.Name)]
public sealed class A_market_on_a_rabbitmq_cluster(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 4; // shared with the accelerated-market tests (one collection); emptied at start
    const double Speed = 1200; // an hour in 3 s
    const string Model = "Ascend-910B", LateModel = "MLU370-X8"; // only this test's market lists them, on its own RabbitMQ
    const decimal PricePerHour = 2.00m;
    const int UnitsEach = 4, HoursEach = 2;
    static readonly TimeSpan Arrivals = TimeSpan.FromSeconds(24); // tenants arrive over this long; the node dies within it
    static readonly TimeSpan AcceptDeadline = TimeSpan.FromSeconds(5);
    static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(5);
    readonly Timeline _timeline = new(output);

    [Fact]
    public async Task Keeps_accepting_publishing_and_billing_while_the_node_its_services_are_on_is_killed()
    {
        var seed = FaultSettings.NewSeed();
        var random = new Random(seed);
        var tenants = 30 * FaultSettings.Scale;
        var killAt = TimeSpan.FromSeconds(5 + random.NextDouble() * 5);
        var downFor = TimeSpan.FromSeconds(8 + random.NextDouble() * 6);
        Say($"seed {seed} (replay with MARKETPLACE_TEST_SEED={seed}): {tenants} tenants over {Arrivals.TotalSeconds:0} s, " +
            $"node 1 killed {killAt.TotalSeconds:0.0} s in, down {downFor.TotalSeconds:0.0} s");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = timeout.Token;

        await using var cluster = await StartClusterAsync(ct);
        await using var market = await AcceleratedMarket.StartAsync(fixture.Market, Database, Speed, platformFeePercent: 0m,
            rabbitMq: cluster.ConnectionString);
        Say($"market up on {cluster.ConnectionString}; market time {market.Now:u}");
        // Read from the third node, which stays up: its queue outlives the first node.
        await using var events = await RawEvents.ListenAsync(cluster.NodeUri(2),
            LeaseCreated.Descriptor, LeaseEnded.Descriptor, UsageRecorded.Descriptor);
        var offer = await OfferAsync(market);
        await AssertReplicatedAsync(cluster, market.Prefix, ct);

        // Act: tenants quote and accept at seeded moments; the first node dies under them and comes back.
        var arrivals = Enumerable.Range(0, tenants).Select(_ => TimeSpan.FromMilliseconds(random.Next((int)Arrivals.TotalMilliseconds)))
            .Order().ToList();
        var answers = new ConcurrentBag<(string Tenant, TimeSpan At, TimeSpan Took, Lease? Lease, string Status)>();
        var started = Stopwatch.StartNew();
        var chaos = KillAndRestartAsync(cluster, market, killAt, downFor, started, ct);
        await Task.WhenAll(arrivals.Select(async (arrival, i) =>
        {
            await Task.Delay(arrival, ct);
            answers.Add(await LeaseAsync(market, offer, $"tenant-cluster-{i}", started, ct));
        }));
        var (killedAt, backAt) = await chaos;

        // Every accept answered, with a lease, within its deadline: none waited for the dead node.
        var slowest = answers.MaxBy(a => a.Took);
        var duringOutage = answers.Count(a => a.At >= killedAt && a.At <= backAt);
        Say($"{answers.Count(a => a.Lease is not null)} of {answers.Count} accepts gave a lease, {duringOutage} while the node was down; " +
            $"slowest {slowest.Took.TotalMilliseconds:0} ms at {slowest.At.TotalSeconds:0.0} s");
        Assert.All(answers, a => Assert.True(a.Lease is not null && a.Took < AcceptDeadline,
            $"{a.Tenant} at {a.At.TotalSeconds:0.0} s: {a.Status} after {a.Took.TotalMilliseconds:0} ms"));
        Assert.True(duringOutage > 0, "no accept fell while the node was down: the test proved nothing");

        // Every lease's LeaseCreated and LeaseEnded, counted once each by event id.
        var leases = answers.Select(a => a.Lease!).ToList();
        var lastEnd = leases.Max(l => l.Window.End.ToDateTimeOffset());
        var seen = await events.UntilAsync(all => all.Once<LeaseEnded>().Count() >= leases.Count,
            market.RealUntil(lastEnd) + TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1)); // the meter's last pass after the last end
        seen = await events.UntilAsync(_ => true, TimeSpan.FromSeconds(1));
        var ids = leases.Select(l => l.Id).ToHashSet();
        var created = seen.Once<LeaseCreated>().Where(e => ids.Contains(e.Lease.Id)).ToList();
        var ended = seen.Once<LeaseEnded>().Where(e => ids.Contains(e.Lease.Id)).ToList();
        Say($"events: {created.Count} LeaseCreated, {ended.Count} LeaseEnded for {leases.Count} leases " +
            $"({seen.OfType<LeaseCreated>().Count() - seen.Once<LeaseCreated>().Count()} LeaseCreated sent twice)");
        Assert.Equal(ids.Order(), created.Select(e => e.Lease.Id).Order());
        Assert.Equal(ids.Order(), ended.Select(e => e.Lease.Id).Order());

        // Every hour of every lease metered once, and the ledger is that usage to the fen.
        var usage = seen.Once<UsageRecorded>().Where(u => ids.Contains(u.LeaseId)).ToList();
        Assert.Equal(leases.Count * HoursEach, usage.Count);
        foreach (var lease in leases)
        {
            var hours = usage.Where(u => u.LeaseId == lease.Id).ToList();
            var owed = hours.Sum(u => u.Units * PricePerHour);
            Assert.Equal(UnitsEach * HoursEach * PricePerHour, owed);
            Assert.Equal(lease.QuotedTotal.ToDecimal(), owed);
            var tenant = lease.TenantId;
            var billed = await Eventually.GetAsync(async () =>
                await market.BillingClient.BalanceAsync(AccountKind.Tenant, tenant) is var due && due == owed ? (object)due : null,
                $"tenant {tenant} to owe {owed}", TimeSpan.FromSeconds(30));
            Assert.Equal(owed, (decimal)billed);
        }
        await Task.Delay(500); // anything applied twice would show now
        foreach (var lease in leases)
            Assert.Equal(UnitsEach * HoursEach * PricePerHour, await market.BillingClient.BalanceAsync(AccountKind.Tenant, lease.TenantId));
        Say($"{usage.Count} metered hours, each billed once: {leases.Count} tenants owe {UnitsEach * HoursEach * PricePerHour} CNY each");
    }

    async Task<RabbitMqClusterProcess> StartClusterAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var cluster = await RabbitMqClusterProcess.StartAsync(ct);
        Say($"cluster of {string.Join(", ", cluster.NodeNames)} on ports {string.Join(", ", cluster.Ports)} " +
            $"formed in {clock.Elapsed.TotalSeconds:0.0} s");
        return cluster;
    }

    static async Task<Offer> OfferAsync(AcceleratedMarket market)
    {
        var siteId = Samples.UniqueId("cluster-site");
        await market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) });
        var offer = Samples.Offer(siteId, PricePerHour, count: 96, days: 3);
        offer.AcceleratorModel = Model;
        var opens = WholeHours.Ceiling(market.Now);
        offer.Availability = new TimeWindow { Start = Timestamp.FromDateTimeOffset(opens), End = Timestamp.FromDateTimeOffset(opens.AddDays(3)) };
        return await market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = offer });
    }

    // Each of the market's queues is a quorum queue with a member on every node: it outlives any one node.
    async Task AssertReplicatedAsync(RabbitMqClusterProcess cluster, string prefix, CancellationToken ct)
    {
        var json = await cluster.CtlAsync(0, ["list_queues", "name", "type", "members", "--formatter", "json"], ct);
        var queues = JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(q => (Name: q.GetProperty("name").GetString()!, Type: q.GetProperty("type").GetString()!,
                Members: q.TryGetProperty("members", out var m) && m.ValueKind == JsonValueKind.Array ? m.GetArrayLength() : 0))
            .Where(q => q.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Say($"{queues.Count} queues: " + string.Join(", ", queues.Select(q => $"{q.Name[(prefix.Length + 1)..]} ({q.Type}, {q.Members} members)")));
        Assert.NotEmpty(queues);
        Assert.All(queues, q => Assert.True(q.Type == "quorum" && q.Members == RabbitMqClusterProcess.Size,
            $"queue {q.Name} is {q.Type} with {q.Members} members"));
    }

    // Quotes, then accepts with a deadline; what the tenant heard and how long it took.
    static async Task<(string, TimeSpan, TimeSpan, Lease?, string)> LeaseAsync(AcceleratedMarket market, Offer offer, string tenant,
        Stopwatch started, CancellationToken ct)
    {
        var request = BrokerSteps.Batch(tenant, UnitsEach, HoursEach, PricePerHour);
        request.AcceleratorHours.AcceleratorModel = Model;
        var from = WholeHours.Ceiling(market.Now).AddHours(2); // the first hour a few seconds away: time to accept
        request.Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(from), End = Timestamp.FromDateTimeOffset(from.AddHours(HoursEach)) };
        var quote = await Eventually.GetAsync(async () => (await market.BrokerClient.TryQuoteAsync(request))?.Options
            .FirstOrDefault(o => o.Placements.All(p => p.OfferId == offer.Id)), $"a quote for {tenant}");
        var at = started.Elapsed;
        var clock = Stopwatch.StartNew();
        try
        {
            var lease = await market.BrokerClient.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = $"k-{tenant}" },
                deadline: DateTime.UtcNow + AcceptDeadline, cancellationToken: ct);
            return (tenant, at, clock.Elapsed, lease, "OK");
        }
        catch (RpcException e)
        {
            return (tenant, at, clock.Elapsed, null, $"{e.StatusCode} ({e.Status.Detail})");
        }
    }

    // Kills the first node at `killAt` and starts it again after `downFor`. Meanwhile: every service's health
    // 'rabbitmq', asked twice a second, and an offer published while the node is down, which the broker's
    // catalog (a read model on a queue of its own) must hear of. Returns when each happened.
    async Task<(TimeSpan KilledAt, TimeSpan BackAt)> KillAndRestartAsync(RabbitMqClusterProcess cluster,
        AcceleratedMarket market, TimeSpan killAt, TimeSpan downFor, Stopwatch started, CancellationToken ct)
    {
        await Task.Delay(killAt, ct);
        await cluster.KillAsync(0);
        var killedAt = started.Elapsed;
        var down = Stopwatch.StartNew();
        Say($"kill -9 node 1 ({cluster.NodeNames[0]}); running nodes: {string.Join(", ", await cluster.RunningNodesAsync(ct))}");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var services = new[] { ("provider", market.Provider), ("billing", market.Billing), ("broker", market.Broker) };
        var health = services.Select(s => WatchHealthAsync(s.Item2, stop.Token)).ToList();
        var heard = await CatalogHearsAsync(market, TimeSpan.FromSeconds(10), ct);
        Say($"an offer published with the node down quoted by the broker {heard.TotalSeconds:0.0} s later");

        var rest = downFor - down.Elapsed;
        if (rest > TimeSpan.Zero)
            await Task.Delay(rest, ct);
        await stop.CancelAsync();
        var answers = await Task.WhenAll(health);
        foreach (var ((name, _), said) in services.Zip(answers))
        {
            var firstServing = said.FirstOrDefault(a => a.Status == ServingStatus.Serving).At;
            Say($"{name}'s health 'rabbitmq' with the node down: {said.Count(a => a.Status == ServingStatus.Serving)} of {said.Count} " +
                $"answers SERVING, the first {firstServing.TotalSeconds:0.0} s after the kill, the last {said[^1].Status}");
            // The bus has moved to another node within seconds and the probe finds one that answers.
            Assert.True(said[^1].Status == ServingStatus.Serving, $"{name} still says {said[^1].Status} {down.Elapsed.TotalSeconds:0} s after the kill");
            Assert.True(said.Where(a => a.At > TimeSpan.FromSeconds(5)).All(a => a.Status == ServingStatus.Serving),
                $"{name} said other than SERVING more than 5 s after the kill: {string.Join(", ", said.Select(a => $"{a.At.TotalSeconds:0.0} s {a.Status}"))}");
        }

        var restart = Stopwatch.StartNew();
        await cluster.StartAgainAsync(0, ct);
        var backAt = started.Elapsed;
        Say($"node 1 back and in the cluster {restart.Elapsed.TotalSeconds:0.0} s after its start");
        return (killedAt, backAt);
    }

    // A new offer of another model; how long until the broker quotes it.
    static async Task<TimeSpan> CatalogHearsAsync(AcceleratedMarket market, TimeSpan within, CancellationToken ct)
    {
        var siteId = Samples.UniqueId("cluster-late-site");
        await market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) }, cancellationToken: ct);
        var draft = Samples.Offer(siteId, PricePerHour, count: 8, days: 3);
        draft.AcceleratorModel = LateModel;
        var opens = WholeHours.Ceiling(market.Now);
        draft.Availability = new TimeWindow { Start = Timestamp.FromDateTimeOffset(opens), End = Timestamp.FromDateTimeOffset(opens.AddDays(3)) };
        var clock = Stopwatch.StartNew();
        var offer = await market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = draft }, cancellationToken: ct);
        var request = BrokerSteps.Batch("tenant-cluster-late", 1, 1, PricePerHour);
        request.AcceleratorHours.AcceleratorModel = LateModel;
        var from = WholeHours.Ceiling(market.Now).AddHours(2);
        request.Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(from), End = Timestamp.FromDateTimeOffset(from.AddHours(24)) };
        await Eventually.TrueAsync(async () => (await market.BrokerClient.TryQuoteAsync(request))?.Options
            .Any(o => o.Placements.All(p => p.OfferId == offer.Id)) == true, $"the broker to quote {offer.Id}", within);
        return clock.Elapsed;
    }

    // Health answers until stopped, each with the time since the watch began.
    static async Task<List<(TimeSpan At, ServingStatus? Status)>> WatchHealthAsync(RunningService service, CancellationToken stop)
    {
        var said = new List<(TimeSpan, ServingStatus?)>();
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            said.Add((clock.Elapsed, await HealthAsync(service, "rabbitmq")));
            try { await Task.Delay(500, stop); }
            catch (OperationCanceledException) { }
        }
        return said;
    }

    static async Task<ServingStatus?> HealthAsync(RunningService service, string check)
    {
        try
        {
            return (await new Health.HealthClient(service.Channel).CheckAsync(new HealthCheckRequest { Service = check },
                deadline: DateTime.UtcNow + HealthDeadline)).Status;
        }
        catch (RpcException) { return null; }
    }

    void Say(string line) => _timeline.Say(line);
}
