using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Reference;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Bench.Scenarios;

// A quiet tenant quoting steadily at half its per-tenant limit, alone and then beside a noisy tenant sending
// ten times its own limit. The noisy tenant's excess should be refused cheaply at the broker's edge, so the
// quiet one's latency barely moves: the goal is p99 beside the noisy one within 1.5x of p99 alone.
public sealed class NoisyNeighbour : IScenario
{
    const int Database = 3; // the bench's other scenarios use 0-2 and 5
    const int Sites = 10, OffersPerSite = 10;
    const double QuietShareOfItsLimit = 0.5, NoisyTimesItsLimit = 10;
    const double Goal = 1.5;
    const int PrimingRounds = 2;
    const string Quiet = "bench-quiet-tenant", Noisy = "bench-noisy-tenant";
    const string ClassFloor = "MLU370-X8";
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public string Name => "noisy-neighbour";
    public string Description =>
        "a quiet tenant's RequestQuote at half its limit, beside a noisy tenant at 10x its own limit vs alone; open loop, in-process, loopback HTTP/2";
    public string Baseline => "the same quiet tenant alone, in the same rounds (goal: p99 beside within 1.5x of p99 alone)";

    public async Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct)
    {
        var servers = await context.ServersAsync(ct);
        var catalog = new SyntheticCatalog(MarketReference.Load());
        var sites = catalog.DataCenters(Sites);
        var offers = catalog.Offers(sites, OffersPerSite, SyntheticCatalog.NextWholeHour(DateTimeOffset.UtcNow));
        await using var market = await BrokerMarket.StartAsync(servers, Database, Name, sites, offers, ct,
            await context.QuoteCacheSettingAsync(ct));
        await market.StopProviderAsync(); // RequestQuote is answered from the broker's read model alone
        var limit = market.Broker.Services.GetRequiredService<BrokerOptions>().TenantQuotesPerSecond; // the default

        // Two clients, a channel each, as two companies would be.
        using var quietChannel = MarketSettings.TenantChannel(market.Broker.Address, Quiet);
        using var noisyChannel = MarketSettings.TenantChannel(market.Broker.Address, Noisy);
        var quietClient = new BrokerService.BrokerServiceClient(quietChannel);
        var quiet = new PacedQuotes(quietClient, Request(Quiet), limit * QuietShareOfItsLimit);
        var noisy = new PacedQuotes(new BrokerService.BrokerServiceClient(noisyChannel), Request(Noisy), limit * NoisyTimesItsLimit);

        // One checked call: a request nothing fits is RESOURCE_EXHAUSTED too, and would measure nothing.
        var reply = await quietClient.RequestQuoteAsync(Request(Quiet), deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
        if (reply.Options.Count == 0)
            throw new InvalidOperationException($"the quiet tenant's request got no options ({reply.Exclusions.Count} exclusions)");

        var (warmUp, measured) = (context.Options.WarmUp, context.Options.Measured);
        Console.Error.WriteLine($"  priming: {PrimingRounds} rounds of {context.Options.WarmUpSeconds} s alone and beside the noisy tenant, untimed");
        for (var round = 0; round < PrimingRounds; round++)
        {
            await quiet.RunAsync(warmUp, TimeSpan.Zero, ct);
            await BesideAsync(quiet, noisy, warmUp, TimeSpan.Zero, ct);
        }
        var (alone, besides, noises) = (new List<PacedRun>(), new List<PacedRun>(), new List<PacedRun>());
        for (var round = 1; round <= context.Options.Rounds; round++)
        {
            Step($"round {round}/{context.Options.Rounds} quiet tenant alone", context.Options);
            alone.Add(await quiet.RunAsync(warmUp, measured, ct));
            Step($"round {round}/{context.Options.Rounds} quiet tenant beside the noisy one", context.Options);
            var (beside, noise) = await BesideAsync(quiet, noisy, warmUp, measured, ct);
            besides.Add(beside);
            noises.Add(noise);
        }
        var result = new ScenarioResult("quiet tenant alone", "quiet tenant beside a noisy one",
            alone.Zip(besides, (a, b) => new RoundResult(a.Result(), b.Result())).ToList());
        var runs = alone.Concat(besides).ToArray();
        var noiseCalls = noises.Sum(n => n.Calls);
        var noiseLimited = noises.Sum(n => n.LimitedCount);
        return result with
        {
            Notes =
            [
                $"p99 beside the noisy tenant / p99 alone: {result.P99Ratio:0.00}x, goal <= {Goal:0.0}x: {(result.P99Ratio <= Goal ? "met" : "NOT MET")} " +
                $"(p50 {result.P50Ratio:0.00}x)",
                $"quiet tenant: {quiet.PerSecond:0} quotes/s, open loop (not --concurrency), half its limit of {limit}/s (bursts of {2 * limit}); " +
                $"served {Served(alone):P1} alone, {Served(besides):P1} beside the noisy one (all rounds)" +
                Failures(runs),
                $"noisy tenant: {noisy.PerSecond:0} quotes/s, {NoisyTimesItsLimit:0}x its limit: {(double)noiseLimited / Math.Max(1, noiseCalls):P1} of {noiseCalls:N0} refused " +
                $"(RESOURCE_EXHAUSTED with retry-after-ms), {noises.Sum(n => n.ServedCount) / (measured.TotalSeconds * noises.Count):0.0} served a second, " +
                $"{noises.Sum(n => n.FailedCount)} other failures" +
                (noises.Select(n => n.FirstFailure).FirstOrDefault(f => f is not null) is { } failure ? $", e.g. {failure}" : ""),
                $"latency from when each call was due; served quotes per run alone {string.Join(" / ", alone.Select(r => r.ServedCount))}, " +
                $"beside {string.Join(" / ", besides.Select(r => r.ServedCount))} " +
                "(under 100, a p99 is the slowest call or next to it)",
                $"catalog: {market.CatalogCount} offers at {Sites} sites; request: batch, 16 x 24 h of {ClassFloor}-class or better, 500 GB of data in shanghai",
            ],
        };
    }

    // The quiet tenant's run with the noisy tenant sending over the same period.
    static async Task<(PacedRun Quiet, PacedRun Noisy)> BesideAsync(PacedQuotes quiet, PacedQuotes noisy, TimeSpan warmUp,
        TimeSpan measured, CancellationToken ct)
    {
        var quietRun = quiet.RunAsync(warmUp, measured, ct);
        var noisyRun = noisy.RunAsync(warmUp, measured, ct);
        return (await quietRun, await noisyRun);
    }

    static string Failures(params PacedRun[] runs) =>
        runs.Sum(r => r.FailedCount + r.LimitedCount) is var count and > 0
            ? $"; {count} not served, e.g. {runs.Select(r => r.FirstFailure).FirstOrDefault(f => f is not null) ?? "over its limit"}"
            : "";

    static double Served(IEnumerable<PacedRun> runs) =>
        runs.Sum(r => r.ServedCount) / (double)Math.Max(1, runs.Sum(r => r.Calls));

    static void Step(string what, BenchOptions options) =>
        Console.Error.WriteLine($"  {what}: {options.WarmUpSeconds} s warm-up, {options.Seconds} s measured");

    static QuoteRequest Request(string tenant)
    {
        var now = DateTimeOffset.UtcNow;
        return new QuoteRequest
        {
            TenantId = tenant,
            AcceleratorHours = new AcceleratorHours { AcceleratorClass = $"{ClassFloor}-class", Hours = 16 * 24 },
            Accelerators = 16,
            Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(now), End = Timestamp.FromDateTimeOffset(now.AddDays(4)) },
            Workload = WorkloadKind.Batch,
            Data = new DataLocation { RegionId = "shanghai", SizeGb = 500 },
            PriceCeilingPerHour = Money.FromDecimal(12m, "CNY"),
        };
    }
}
