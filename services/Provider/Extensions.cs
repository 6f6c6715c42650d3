using Marketplace.Provider.Catalog;
using Marketplace.Provider.Seeding;
using Marketplace.Provider.Storage;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Bus;

namespace Marketplace.Provider;

public static class Extensions
{
    public static WebApplicationBuilder AddProviderServices(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ProviderOptions.Section).Get<ProviderOptions>() ?? new();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => MarketReference.Load(options.SeedsPath));

        // Redis stores, one per concern
        builder.Services.AddSingleton<DataCenterStore>();
        builder.Services.AddSingleton<OfferStore>();

        // The work: registering sites, publishing offers, telling the market what is free
        builder.Services.AddSingleton<DataCenterRegistry>();
        builder.Services.AddSingleton<OfferBook>();
        builder.Services.AddSingleton<CapacityAnnouncer>();

        builder.AddMarketplaceBus("provider");

        if (options.LoadSeeds)
            builder.Services.AddHostedService<SeedLoader>();
        return builder;
    }
}
