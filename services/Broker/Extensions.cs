using Marketplace.Broker.Catalog;
using Marketplace.Broker.Consumers;
using Marketplace.Broker.Quoting;
using Marketplace.Broker.Storage;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Bus;

namespace Marketplace.Broker;

public static class Extensions
{
    public static WebApplicationBuilder AddBrokerServices(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(BrokerOptions.Section).Get<BrokerOptions>() ?? new();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => MarketReference.Load());

        // The catalog read model: seeded from the provider's snapshot, kept current by capacity events
        builder.Services.AddSingleton<OfferCatalog>();
        builder.Services.AddHostedService<CatalogSnapshotLoader>();
        builder.Services.AddGrpcClient<ProviderService.ProviderServiceClient>(o => o.Address = options.ProviderAddress);

        // Quotes
        builder.Services.AddSingleton<QuoteStore>();
        builder.Services.AddSingleton<QuoteDesk>();

        builder.AddMarketplaceBus("broker", bus => bus.AddConsumer<CapacityChangedConsumer>());
        return builder;
    }
}
