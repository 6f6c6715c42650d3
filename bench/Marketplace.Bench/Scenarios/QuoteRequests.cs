using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Bench.V1;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.Testing.Market;

namespace Marketplace.Bench.Scenarios;

// RequestQuote against a catalog of 1,000 offers, next to the bare echo hosted and called alike: the ratio
// is what quoting (validation, ranking most of the catalog, five quotes written to Redis) costs per call.
public sealed class QuoteRequests : IScenario
{
    const int Database = 1;
    const int Sites = 50, OffersPerSite = 20;
    const string Tenant = "bench-tenant";
    const string ClassFloor = "MLU370-X8"; // every seeded model but DCU-Z100 qualifies: most offers are priced
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    static readonly TimeSpan SnapshotDeadline = TimeSpan.FromSeconds(120);

    public string Name => "quote";
    public string Description =>
        $"broker RequestQuote as a tenant, {Sites * OffersPerSite:N0} offers in the catalog, vs a bare gRPC echo; in-process, loopback HTTP/2, one channel each";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var servers = await context.ServersAsync(ct);
        var reference = MarketReference.Load();
        var catalog = new SyntheticCatalog(reference);
        var sites = catalog.DataCenters(Sites);
        var offers = catalog.Offers(sites, OffersPerSite, SyntheticCatalog.NextWholeHour(DateTimeOffset.UtcNow));

        // The snapshot of 1,000 offers takes the provider longer than the broker's default 5 s provider deadline
        // on this machine (it describes offer after offer): allow it, so the catalog loads on the first try.
        // One tenant asks for everything: its rate limit is lifted, the bench measures the broker's capacity.
        await using var market = await BrokerMarket.StartAsync(servers, Database, Name, sites, offers, ct,
            ("Broker:ProviderDeadline", SnapshotDeadline.ToString()), ("Broker:TenantQuotesPerSecond", "1000000"));
        var snapshotTook = await TimeSnapshotAsync(market);
        await market.StopProviderAsync(); // RequestQuote is answered from the broker's read model alone
        await using var echo = await RunningService.StartAsync(EchoServer.Build, MarketSettings.For(servers, Database, "bench-echo"), ct);

        // Both called alike: a channel each, carrying the same tenant's bearer token (the echo ignores it).
        using var echoChannel = MarketSettings.TenantChannel(echo.Address, Tenant);
        using var brokerChannel = MarketSettings.TenantChannel(market.Broker.Address, Tenant);
        var echoClient = new Echo.EchoClient(echoChannel);
        var brokerClient = new BrokerService.BrokerServiceClient(brokerChannel);
        var echoRequest = new EchoRequest { Text = "quote" };
        var quoteRequest = BatchWithData();

        // One checked call first: it fails here with its own message, and shows what a reply holds.
        var reply = await brokerClient.RequestQuoteAsync(quoteRequest, deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
        var floor = reference.Accelerators[ClassFloor].Fp16DenseTflops;
        var ofClass = offers.Count(o => reference.Accelerators[o.AcceleratorModel].Fp16DenseTflops >= floor);
        var best = reply.Options[0];

        var result = await LoadRunner.CompareAsync(
            new LoadTarget("echo", token => echoClient.SayAsync(echoRequest,
                deadline: DateTime.UtcNow + Deadline, cancellationToken: token).ResponseAsync),
            new LoadTarget("broker RequestQuote", token => brokerClient.RequestQuoteAsync(quoteRequest,
                deadline: DateTime.UtcNow + Deadline, cancellationToken: token).ResponseAsync),
            context.Options, ct);
        return result with
        {
            Notes =
            [
                $"a quote costs {1 / result.ThroughputRatio:N0} echo round trips (baseline mean / quote throughput)",
                $"catalog: {market.CatalogCount:N0} offers at {sites.Count} sites in {sites.Select(s => s.RegionId).Distinct().Count()} regions, " +
                $"{ofClass:N0} of them {ClassFloor}-class or better (each of those is priced or excluded per request)",
                $"request: batch, {quoteRequest.Accelerators} x {quoteRequest.AcceleratorHours.Hours / quoteRequest.Accelerators} h of " +
                $"{quoteRequest.AcceleratorHours.AcceleratorClass}, {quoteRequest.Data.SizeGb:N0} GB of data in {quoteRequest.Data.RegionId}, " +
                $"4-day window, ceiling {quoteRequest.PriceCeilingPerHour.ToDecimal():0.00} CNY/h",
                $"a reply: options {reply.Options.Count}, exclusions {reply.Exclusions.Count}; cheapest {best.Breakdown.Total.ToDecimal():N2} CNY " +
                $"({best.Placements[0].AcceleratorModel} at {best.Placements[0].DatacenterId}, transfer {best.Breakdown.Transfer.ToDecimal():N2})",
                "the provider was stopped once the broker had its snapshot: RequestQuote never calls it",
                $"provider GetCatalogSnapshot of {offers.Count:N0} offers: {snapshotTook.TotalSeconds:0.0} s (the broker's default provider deadline is 5 s)",
            ],
        };
    }

    // One more snapshot, timed, for the record: the broker waits for one at every start.
    static async Task<TimeSpan> TimeSnapshotAsync(BrokerMarket market)
    {
        var clock = Stopwatch.StartNew();
        await new ProviderService.ProviderServiceClient(market.Provider!.Channel)
            .GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest(), deadline: DateTime.UtcNow + SnapshotDeadline);
        return clock.Elapsed;
    }

    // Work the quoter cannot short-cut: a class rather than a model, data to move from Shanghai, a price ceiling.
    static QuoteRequest BatchWithData()
    {
        var now = DateTimeOffset.UtcNow;
        return new QuoteRequest
        {
            TenantId = Tenant,
            AcceleratorHours = new AcceleratorHours { AcceleratorClass = $"{ClassFloor}-class", Hours = 64 * 48 },
            Accelerators = 64,
            Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(now), End = Timestamp.FromDateTimeOffset(now.AddDays(4)) },
            Workload = WorkloadKind.Batch,
            Data = new DataLocation { RegionId = "shanghai", SizeGb = 2_000 },
            PriceCeilingPerHour = Money.FromDecimal(12m, "CNY"),
        };
    }
}
