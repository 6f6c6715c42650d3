using Marketplace.Broker.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using StackExchange.Redis;

namespace Marketplace.Bench.Scenarios;

// Each service as its own process (the built dlls, configured by environment variables as in production), so
// each has a resident set of its own: idle, and at its peak under the quote load; and Redis memory per
// 10,000 RequestQuote calls. Absolute figures against the goals: there is no baseline to divide by.
public sealed class ServiceMemory : IScenario
{
    const int Database = 12; // the bench's other scenarios use 0-11
    const int Sites = 50, OffersPerSite = 20;
    const int Quotes = 10_000, QuoteCallers = 16;
    const double IdleGoalMb = 150, LoadedGoalMb = 400;
    const string Tenant = "bench-tenant";
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(5); // start-up garbage collected, background loops begun
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    static readonly string[] Dlls = ["Marketplace.Provider.dll", "Marketplace.Broker.dll", "Marketplace.Billing.dll"];

    public string Name => "memory";
    public string Description =>
        $"RSS of provider, broker and billing as processes, idle and at peak under the quote load (goals < {IdleGoalMb} MB, < {LoadedGoalMb} MB); Redis used_memory per {Quotes:N0} quotes";
    public string Baseline => "none: absolute figures against the goals";

    public async Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct)
    {
        var servers = await context.ServersAsync(ct);
        await MarketSettings.EmptyDatabaseAsync(servers, Database);
        var catalog = new SyntheticCatalog(MarketReference.Load());
        var sites = catalog.DataCenters(Sites);
        var offers = catalog.Offers(sites, OffersPerSite, SyntheticCatalog.NextWholeHour(DateTimeOffset.UtcNow));

        await using var provider = await ServiceProcess.StartConfiguredAsync(Dlls[0], MarketSettings.For(servers, Database, "bench-memory-provider"), ct);
        using (var operatorChannel = TestChannels.For(provider.Address, MarketUnderTest.TokenFor(MarketRoles.Operator, "bench-operator")))
            await CatalogPublisher.PublishAsync(new ProviderService.ProviderServiceClient(operatorChannel), sites, offers, ct);
        await using var broker = await ServiceProcess.StartConfiguredAsync(Dlls[1], MarketSettings.For(servers, Database, "bench-memory-broker",
            ("Broker:ProviderAddress", provider.GrpcAddress), ("Broker:TenantQuotesPerSecond", "1000000"),
            await context.QuoteCacheSettingAsync(ct)), ct);
        await using var billing = await ServiceProcess.StartConfiguredAsync(Dlls[2], MarketSettings.For(servers, Database, "bench-memory-billing"), ct);
        ServiceProcess[] services = [provider, broker, billing];
        // The broker process's own capacity queue is named by its replica id; RabbitMQ drops it by itself (x-expires).
        using var channel = MarketSettings.TenantChannel(broker.Address, Tenant);
        var client = new BrokerService.BrokerServiceClient(channel);
        var request = QuoteRequests.BatchWithData(Tenant);
        // The broker answers once its catalog is in from the provider's snapshot.
        await Eventually.TrueAsync(async () =>
        {
            try { return (await client.RequestQuoteAsync(request, deadline: DateTime.UtcNow + Deadline, cancellationToken: ct)).Options.Count > 0; }
            catch (Grpc.Core.RpcException) { return false; }
        }, "the broker to quote from its catalog", TimeSpan.FromSeconds(120));

        await Task.Delay(Settle, ct);
        var idle = services.Select(s => ProcessMemory.ResidentMb(s.ProcessId)).ToArray();

        // Peak under load: sampled every 100 ms while 64 callers quote for the measured period.
        var peak = (double[])idle.Clone();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                for (var i = 0; i < services.Length; i++)
                    peak[i] = Math.Max(peak[i], ProcessMemory.ResidentMb(services[i].ProcessId));
                try { await Task.Delay(100, sampling.Token); } catch (OperationCanceledException) { }
            }
        }, ct);
        var load = await LoadRunner.RunAsync(new LoadTarget("broker RequestQuote", token => client.RequestQuoteAsync(request,
            deadline: DateTime.UtcNow + Deadline, cancellationToken: token).ResponseAsync), context.Options, "quote load", ct);
        await sampling.CancelAsync();
        await sampler;

        var quoteRedis = await context.QuoteRedisAsync(ct);
        var (perCalls, stored) = await RedisPerQuotesAsync(quoteRedis, client, request, ct);
        await MarketSettings.EmptyQuoteCacheAsync(context, ct);
        return new ScenarioOutcome([])
        {
            Notes =
            [
                $"{"service",-10} {"idle MB",9} {"goal",6} {"peak MB",9} {"goal",6}",
                .. services.Select((s, i) => $"{Dlls[i].Split('.')[1],-10} {idle[i],9:0.0} {Verdict(idle[i], IdleGoalMb),6} {peak[i],9:0.0} {Verdict(peak[i], LoadedGoalMb),6}"),
                $"idle: {Settle.TotalSeconds:0} s after the broker first quoted, {offers.Count:N0} offers at {Sites} sites published; " +
                $"peak: VmRSS sampled every 100 ms over {load.Calls:N0} quotes at {load.RequestsPerSecond:N0}/s from {load.Callers} callers (p99 {load.P99Ms:0.0} ms)",
                $"{(context.Options.QuotesInMarket ? "the market's Redis" : "the quote cache's Redis")} used_memory: +{perCalls / 1024 / 1024:0.0} MB for {Quotes:N0} RequestQuote calls from {QuoteCallers} callers, " +
                $"{stored:N0} quotes stored: {perCalls / stored * 10_000 / 1024 / 1024:0.0} MB per 10,000 quotes",
                "each service a process of its own: dotnet <dll>, settings from environment variables (ConnectionStrings__Redis, Auth__SigningKey, ...), server GC",
            ],
        };
    }

    static string Verdict(double mb, double goal) => mb < goal ? "met" : "NOT";

    // INFO memory before and after: the quotes (and anything else the calls write) as Redis holds them.
    static async Task<(double Bytes, long Quotes)> RedisPerQuotesAsync(string quoteRedis,
        BrokerService.BrokerServiceClient client, QuoteRequest request, CancellationToken ct)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(quoteRedis);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        long stored = 0;
        var before = await UsedMemoryAsync(server);
        await Parallel.ForEachAsync(Enumerable.Range(0, Quotes), new ParallelOptions { MaxDegreeOfParallelism = QuoteCallers, CancellationToken = ct },
            async (_, token) => Interlocked.Add(ref stored,
                (await client.RequestQuoteAsync(request, deadline: DateTime.UtcNow + Deadline, cancellationToken: token)).Options.Count));
        return (await UsedMemoryAsync(server) - before, stored);
    }

    static async Task<double> UsedMemoryAsync(IServer server) =>
        double.Parse((await server.InfoAsync("memory")).SelectMany(g => g).First(e => e.Key == "used_memory").Value);
}
