using System.Diagnostics;
using Marketplace.Broker.Catalog;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Bench.Scenarios;

// A provider and a broker on a Redis database and queue prefix of their own. The provider is filled over
// gRPC first and the broker started after, so its catalog comes from the provider's snapshot in one call
// rather than from a thousand CapacityChanged events.
public sealed class BrokerMarket : IAsyncDisposable
{
    static readonly TimeSpan CatalogTimeout = TimeSpan.FromSeconds(600); // 10,000 offers on a busy machine
    readonly Uri _rabbit;
    readonly string _brokerPrefix;

    BrokerMarket(Uri rabbit, string brokerPrefix, RunningService provider, RunningService broker)
    {
        _rabbit = rabbit;
        _brokerPrefix = brokerPrefix;
        Provider = provider;
        Broker = broker;
    }

    public RunningService? Provider { get; private set; }
    public RunningService Broker { get; }

    public static async Task<BrokerMarket> StartAsync(TestServers servers, int database, string name,
        IReadOnlyList<DataCenter> sites, IReadOnlyList<Offer> offers, CancellationToken ct,
        params (string Key, string? Value)[] brokerSettings) =>
        (await StartAllAsync(servers, [new Catalog(database, name, sites, offers)], ct, brokerSettings))[0];

    // What one market holds: its Redis database, its name (queue prefixes) and its catalog.
    public sealed record Catalog(int Database, string Name, IReadOnlyList<DataCenter> Sites, IReadOnlyList<Offer> Offers);

    // Several markets side by side: every provider is filled before any broker starts, because a broker takes
    // every CapacityChanged on the bus into its catalog, whichever provider announced it.
    public static async Task<IReadOnlyList<BrokerMarket>> StartAllAsync(TestServers servers, IReadOnlyList<Catalog> catalogs,
        CancellationToken ct, params (string Key, string? Value)[] brokerSettings)
    {
        var providers = new List<RunningService>();
        var markets = new List<BrokerMarket>();
        try
        {
            foreach (var catalog in catalogs)
            {
                await MarketSettings.EmptyDatabaseAsync(servers, catalog.Database);
                var provider = await RunningService.StartAsync(Marketplace.Provider.Program.Build,
                    MarketSettings.For(servers, catalog.Database, $"bench-{catalog.Name}-provider"), ct);
                providers.Add(provider);
                var clock = Stopwatch.StartNew();
                await CatalogPublisher.PublishAsync(new ProviderService.ProviderServiceClient(provider.Channel), catalog.Sites, catalog.Offers, ct);
                Console.Error.WriteLine($"  {catalog.Name}: published {catalog.Sites.Count} sites and {catalog.Offers.Count:N0} offers in {clock.Elapsed.TotalSeconds:0.0} s");
            }
            foreach (var (catalog, provider) in catalogs.Zip(providers))
            {
                var clock = Stopwatch.StartNew();
                var brokerPrefix = $"bench-{catalog.Name}-broker";
                var broker = await RunningService.StartAsync(Marketplace.Broker.Program.Build,
                    MarketSettings.For(servers, catalog.Database, brokerPrefix,
                        [("Broker:ProviderAddress", provider.Address.ToString()), .. brokerSettings]), ct);
                var market = new BrokerMarket(servers.RabbitMqUri, brokerPrefix, provider, broker);
                markets.Add(market);
                var offers = broker.Services.GetRequiredService<OfferCatalog>();
                await Eventually.TrueAsync(() => Task.FromResult(offers.Count >= catalog.Offers.Count),
                    $"the broker's catalog to hold {catalog.Offers.Count} offers", CatalogTimeout);
                Console.Error.WriteLine($"  {catalog.Name}: broker started, its catalog loaded from the provider's snapshot, in {clock.Elapsed.TotalSeconds:0.0} s");
            }
            return markets;
        }
        catch
        {
            foreach (var market in markets) await market.DisposeAsync();
            foreach (var provider in providers.Skip(markets.Count)) await provider.DisposeAsync();
            throw;
        }
    }

    public int CatalogCount => Broker.Services.GetRequiredService<OfferCatalog>().Count;

    // For scenarios whose path never reaches the provider: its background work (sweeping every offer for
    // expired holds each second, metering) would otherwise share the two cores with the measured runs.
    public async Task StopProviderAsync()
    {
        if (Provider is null) return;
        await Provider.DisposeAsync();
        Provider = null;
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        await StopProviderAsync();
        await BusCleanup.DeleteAsync(_rabbit, Marketplace.ServiceDefaults.Bus.BusExtensions.ReplicaQueue(_brokerPrefix, "capacity-changed"));
    }
}
