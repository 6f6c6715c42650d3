using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.Testing.Servers;
using StackExchange.Redis;

namespace Marketplace.Bench.Scenarios;

// AcceptQuote end to end (quote read, claim, a hold confirmed into the lease at the provider over gRPC, lease
// written, LeaseCreated published; the provider announces the capacity change, which this broker consumes) next to
// the provider's cheapest unary call on the same provider: the ratio reads as "an accept costs N round trips".
public sealed class QuoteAccepts : IScenario
{
    const int Database = 2;
    const int BaselineCallers = 16; // the row: accepts and GetAccelerator at 16 callers each
    const int Sites = 8;
    const int UnitsPerSlot = 100_000; // the provider's maximum: 100,000 accepts of one unit per offer and hour
    const string Model = "H20";
    const string Tenant = "bench-tenant";
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public string Name => "accept";
    public string Description =>
        "broker AcceptQuote end to end per second and p99, at 1, 16 and 64 callers (--callers), and Redis Lua time per accept; in-process, loopback HTTP/2";
    public string Baseline => $"provider GetAccelerator on the same provider at {BaselineCallers} callers, in the same rounds";

    public async Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct)
    {
        var servers = await context.ServersAsync(ct);
        var sites = new SyntheticCatalog(MarketReference.Load()).DataCenters(Sites);
        var start = SyntheticCatalog.NextWholeHour(DateTimeOffset.UtcNow);
        var offers = sites.Select((site, i) => RoomyOffer(site, 5.00m + i * 0.10m, start)).ToList();
        // One tenant accepts everything: its rate limits are lifted, the bench measures the accept path.
        await using var market = await BrokerMarket.StartAsync(servers, Database, Name, sites, offers, ct,
            ("Broker:TenantQuotesPerSecond", "1000000"), ("Broker:TenantAcceptsPerSecond", "1000000"),
            ("Broker:QuoteLifetime", "01:00:00"), // quotes prepared for a later round must not expire first
            await context.QuoteCacheSettingAsync(ct));

        // Both called as the tenant, a channel each (the broker calls the provider with its own service token).
        using var providerChannel = MarketSettings.TenantChannel(market.Provider!.Address, Tenant);
        using var brokerChannel = MarketSettings.TenantChannel(market.Broker.Address, Tenant);
        var provider = new ProviderService.ProviderServiceClient(providerChannel);
        var broker = new BrokerService.BrokerServiceClient(brokerChannel);
        var pool = new QuotePool(broker, ServerDay());
        var getAccelerator = new GetAcceleratorRequest { Model = Model };

        var scriptsBefore = await RedisScriptStats.ReadAsync(servers.RedisConnectionString);
        var callers = context.Options.Callers;
        var rows = await LoadRunner.CompareAsync(
            new LoadTarget("provider GetAccelerator", token => provider.GetAcceleratorAsync(getAccelerator,
                deadline: DateTime.UtcNow + Deadline, cancellationToken: token).ResponseAsync, Concurrency: BaselineCallers),
            callers.Select(n => new LoadTarget("broker AcceptQuote", pool.AcceptNextAsync, pool.TopUpAsync, n)).ToList(),
            context.Options, ct);

        var scripts = await RedisScriptStats.ReadAsync(servers.RedisConnectionString) - scriptsBefore;

        // Every accept that returned must have left exactly one lease behind.
        var leases = await CountLeasesAsync(servers);
        if (leases != pool.Accepted)
            throw new InvalidOperationException($"{pool.Accepted:N0} accepts returned but {leases:N0} leases are stored");
        return new ScenarioOutcome(rows.Select((row, i) => row with
        {
            Work = $"{callers[i]} callers",
            Notes = [$"an accept costs {1 / row.ThroughputRatio:N1} GetAccelerator round trips (1 / median throughput ratio)"],
        }).ToList())
        {
            Notes =
            [
                $"each accept on a quote of its own, prepared untimed before each run; the baseline at {BaselineCallers} callers throughout",
                $"accepts: {pool.Accepted:N0} in all runs, failures: {pool.Failed} (a failure aborts the run), leases stored: {leases:N0}, " +
                $"quotes prepared: {pool.Prepared:N0}",
                $"quotes: batch, 1 x 24 h of {Model} on {Sites} offers of {UnitsPerSlot:N0} units an hour, so capacity never runs out",
                $"Redis Lua over the whole scenario (the provider's calendar.lua, its periodic hold sweep and meter included; Redis runs one at a time): " +
                $"{scripts.Calls:N0} calls, {(double)scripts.Calls / Math.Max(1, pool.Accepted):0.0} per accept, " +
                $"{scripts.Microseconds / Math.Max(1.0, scripts.Calls):N0} us per call on average, {scripts.Microseconds / 1000.0 / Math.Max(1, pool.Accepted):0.00} ms per accept",
            ],
        };
    }

    // One offer a site, big enough that no prepared quote finds its hours taken when it is accepted.
    static Offer RoomyOffer(DataCenter site, decimal price, DateTimeOffset start) => new()
    {
        Id = $"{site.Id}-{Model.ToLowerInvariant()}-roomy",
        DatacenterId = site.Id,
        AcceleratorModel = Model,
        Count = UnitsPerSlot,
        PricePerHour = Money.FromDecimal(price, "CNY"),
        Availability = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddDays(14)) },
        MinLeaseHours = 1,
        InterconnectDomain = $"{site.Id}/pod-a",
    };

    // An accelerator for a day, some time this week: one unit, so that the quotes prepared for a run (placed
    // on the five cheapest offers' first day) still find their hours free on a fast machine.
    static QuoteRequest ServerDay()
    {
        var now = DateTimeOffset.UtcNow;
        return new QuoteRequest
        {
            TenantId = Tenant,
            AcceleratorHours = new AcceleratorHours { AcceleratorModel = Model, Hours = 24 },
            Accelerators = 1,
            Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(now), End = Timestamp.FromDateTimeOffset(now.AddDays(7)) },
            Workload = WorkloadKind.Batch,
        };
    }

    static async Task<long> CountLeasesAsync(TestServers servers)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(servers.RedisConnectionString);
        var count = 0L;
        foreach (var endpoint in redis.GetEndPoints())
            await foreach (var _ in redis.GetServer(endpoint).KeysAsync(Database, $"{Marketplace.Broker.Storage.BrokerKeys.Tag}:lease:*", pageSize: 1000))
                count++;
        return count;
    }
}
