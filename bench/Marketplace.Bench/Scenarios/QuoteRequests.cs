using Grpc.Net.Client;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Bench.V1;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Reference;
using Marketplace.Testing.Market;

namespace Marketplace.Bench.Scenarios;

// RequestQuote against catalogs of 100, 1,000 and 10,000 offers (--offers), next to the bare echo hosted and
// called alike: the ratio is what quoting (validation, ranking most of the catalog, the reply's quotes
// written to the quote cache) costs per call, and the sweep shows how that cost grows with the catalog. Every size has a broker
// of its own, all running at once, so each round measures the echo and then every size back to back.
public sealed class QuoteRequests : IScenario
{
    const int FirstDatabase = 6; // one a size: 6-9; the bench's other scenarios use 0-5 and 10 up
    const int OffersPerSite = 20; // 1,000 offers are 50 sites; 10,000 are 500
    const string Tenant = "bench-tenant";
    const string ClassFloor = "MLU370-X8"; // every seeded model but DCU-Z100 qualifies: most offers are priced
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    static readonly TimeSpan SnapshotDeadline = TimeSpan.FromSeconds(600);

    public string Name => "quote";
    public string Description =>
        "broker RequestQuote as a tenant per second and p99, at each --offers size; in-process, loopback HTTP/2, one channel each";
    public string Baseline => "a bare gRPC echo hosted and called alike, in the same rounds";

    public async Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct)
    {
        var sizes = context.Options.Offers;
        if (FirstDatabase + sizes.Count > 16)
            throw new ArgumentException($"--offers takes at most {16 - FirstDatabase} sizes (a Redis database each)");
        var servers = await context.ServersAsync(ct);
        var reference = MarketReference.Load();
        var catalogs = sizes.Select((size, i) =>
        {
            var catalog = new SyntheticCatalog(reference);
            var sites = catalog.DataCenters((size + OffersPerSite - 1) / OffersPerSite);
            var offers = catalog.Offers(sites, OffersPerSite, SyntheticCatalog.NextWholeHour(DateTimeOffset.UtcNow)).Take(size).ToList();
            return new BrokerMarket.Catalog(FirstDatabase + i, $"{Name}-{size}", sites, offers);
        }).ToList();
        // A big snapshot may take the provider longer than the broker's default 5 s provider deadline: allow it,
        // so the catalog loads on the first try (the snapshot scenario times it). One tenant asks for everything:
        // its rate limit is lifted, the bench measures the broker's capacity.
        var markets = await BrokerMarket.StartAllAsync(servers, catalogs, ct,
            ("Broker:ProviderDeadline", SnapshotDeadline.ToString()), ("Broker:TenantQuotesPerSecond", "1000000"),
            await context.QuoteCacheSettingAsync(ct));
        var channels = markets.Select(m => MarketSettings.TenantChannel(m.Broker.Address, Tenant)).ToList();
        try
        {
            foreach (var market in markets)
                await market.StopProviderAsync(); // RequestQuote is answered from the broker's read model alone
            await using var echo = await RunningService.StartAsync(EchoServer.Build, MarketSettings.For(servers, 0, "bench-echo"), ct);
            return await MeasureAsync(context, echo,
                markets.Select((m, i) => (catalogs[i].Offers.Count, m, channels[i])).ToList(), reference, ct);
        }
        finally
        {
            foreach (var channel in channels) channel.Dispose();
            foreach (var market in markets) await market.DisposeAsync();
            // The quotes asked for would sit in Redis for their lifetime (GBs after a sweep), and Redis
            // rewriting its AOF for them would share the cores with the scenarios that follow.
            foreach (var catalog in catalogs) await MarketSettings.EmptyDatabaseAsync(servers, catalog.Database);
            await MarketSettings.EmptyQuoteCacheAsync(context, ct);
        }
    }

    async Task<ScenarioOutcome> MeasureAsync(BenchContext context, RunningService echo,
        IReadOnlyList<(int Offers, BrokerMarket Market, GrpcChannel Channel)> markets, MarketReference reference, CancellationToken ct)
    {
        // Both called alike: a channel each, carrying the same tenant's bearer token (the echo ignores it).
        using var echoChannel = MarketSettings.TenantChannel(echo.Address, Tenant);
        var echoClient = new Echo.EchoClient(echoChannel);
        var echoRequest = new EchoRequest { Text = "quote" };
        var quoteRequest = BatchWithData();

        var subjects = new List<LoadTarget>();
        var replies = new List<string>();
        foreach (var (offers, market, channel) in markets)
        {
            var broker = new BrokerService.BrokerServiceClient(channel);
            // One checked call first: it fails here with its own message, and shows what a reply holds.
            var reply = await broker.RequestQuoteAsync(quoteRequest, deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
            if (reply.Options.Count == 0)
                throw new InvalidOperationException($"no options from {offers:N0} offers ({reply.Exclusions.Count} exclusions)");
            var best = reply.Options[0];
            replies.Add($"{offers:N0} offers ({market.CatalogCount:N0} in the broker's catalog): options {reply.Options.Count}, " +
                        $"exclusions {reply.Exclusions.Count}; cheapest {best.Breakdown.Total.ToDecimal():N2} CNY " +
                        $"({best.Placements[0].AcceleratorModel} at {best.Placements[0].DatacenterId}, transfer {best.Breakdown.Transfer.ToDecimal():N2})");
            subjects.Add(new LoadTarget($"broker RequestQuote", token => broker.RequestQuoteAsync(quoteRequest,
                deadline: DateTime.UtcNow + Deadline, cancellationToken: token).ResponseAsync));
        }

        var rows = await LoadRunner.CompareAsync(
            new LoadTarget("echo", token => echoClient.SayAsync(echoRequest,
                deadline: DateTime.UtcNow + Deadline, cancellationToken: token).ResponseAsync),
            subjects, context.Options, ct);
        var floor = reference.Accelerators[ClassFloor].Fp16DenseTflops;
        return new ScenarioOutcome(rows.Select((row, i) => row with
        {
            Work = $"{markets[i].Offers:N0} offers",
            Notes = [$"a quote costs {1 / row.ThroughputRatio:N0} echo round trips (1 / median throughput ratio)"],
        }).ToList())
        {
            Notes =
            [
                $"catalogs: {OffersPerSite} synthetic offers a site (sites spread over every seeded region), most of them {ClassFloor}-class " +
                $"or better (fp16 >= {floor} TFLOPS: each of those is priced or excluded per request)",
                $"request: batch, {quoteRequest.Accelerators} x {quoteRequest.AcceleratorHours.Hours / quoteRequest.Accelerators} h of " +
                $"{quoteRequest.AcceleratorHours.AcceleratorClass}, {quoteRequest.Data.SizeGb:N0} GB of data in {quoteRequest.Data.RegionId}, " +
                $"4-day window, ceiling {quoteRequest.PriceCeilingPerHour.ToDecimal():0.00} CNY/h",
                .. replies.Select(r => $"a reply at {r}"),
                "each provider was stopped once its broker had the snapshot: RequestQuote never calls it",
            ],
        };
    }

    // Work the quoter cannot short-cut: a class rather than a model, data to move from Shanghai, a price ceiling.
    public static QuoteRequest BatchWithData(string tenant = Tenant)
    {
        var now = DateTimeOffset.UtcNow;
        return new QuoteRequest
        {
            TenantId = tenant,
            AcceleratorHours = new AcceleratorHours { AcceleratorClass = $"{ClassFloor}-class", Hours = 64 * 48 },
            Accelerators = 64,
            Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(now), End = Timestamp.FromDateTimeOffset(now.AddDays(4)) },
            Workload = WorkloadKind.Batch,
            Data = new DataLocation { RegionId = "shanghai", SizeGb = 2_000 },
            PriceCeilingPerHour = Money.FromDecimal(12m, "CNY"),
        };
    }
}
