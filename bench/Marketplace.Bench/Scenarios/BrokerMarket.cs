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
    static readonly TimeSpan CatalogTimeout = TimeSpan.FromSeconds(90);
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
        params (string Key, string? Value)[] brokerSettings)
    {
        await MarketSettings.EmptyDatabaseAsync(servers, database);
        var brokerPrefix = $"bench-{name}-broker";
        var provider = await RunningService.StartAsync(Marketplace.Provider.Program.Build,
            MarketSettings.For(servers, database, $"bench-{name}-provider"), ct);
        RunningService? broker = null;
        try
        {
            var clock = Stopwatch.StartNew();
            await CatalogPublisher.PublishAsync(new ProviderService.ProviderServiceClient(provider.Channel), sites, offers, ct);
            Console.Error.WriteLine($"  published {sites.Count} sites and {offers.Count:N0} offers in {clock.Elapsed.TotalSeconds:0.0} s");
            clock.Restart();
            broker = await RunningService.StartAsync(Marketplace.Broker.Program.Build,
                MarketSettings.For(servers, database, brokerPrefix,
                    [("Broker:ProviderAddress", provider.Address.ToString()), .. brokerSettings]), ct);
            var catalog = broker.Services.GetRequiredService<OfferCatalog>();
            await Eventually.TrueAsync(() => Task.FromResult(catalog.Count >= offers.Count),
                $"the broker's catalog to hold {offers.Count} offers", CatalogTimeout);
            Console.Error.WriteLine($"  broker started, its catalog loaded from the provider's snapshot, in {clock.Elapsed.TotalSeconds:0.0} s");
            return new BrokerMarket(servers.RabbitMqUri, brokerPrefix, provider, broker);
        }
        catch
        {
            if (broker is not null) await broker.DisposeAsync();
            await provider.DisposeAsync();
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
        await BusCleanup.DeleteAsync(_rabbit, $"{_brokerPrefix}-capacity-changed");
    }
}
