using Marketplace.Events.V1;
using Marketplace.Provider.Catalog;
using Marketplace.Provider.Metering;
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
        builder.Services.AddSingleton<CalendarStore>();
        builder.Services.AddSingleton<OutageStore>();
        builder.Services.AddSingleton<ReliabilityStore>();

        // The work: registering sites, publishing offers, telling the market what is free
        builder.Services.AddSingleton<DataCenterDesk>();
        builder.Services.AddSingleton<OfferDesk>();
        builder.Services.AddSingleton<HoldDesk>();
        builder.Services.AddSingleton<OutageDesk>();
        builder.Services.AddSingleton<OutageAnnouncements>();
        builder.Services.AddHostedService<OutageRecovery>();
        builder.Services.AddSingleton<CapacityPublisher>();
        builder.Services.AddSingleton<CapacityAnnouncements>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CapacityAnnouncements>());

        // Time-driven work: expiring holds, metering lease hours
        builder.Services.AddSingleton<HoldExpirySweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HoldExpirySweeper>());
        builder.Services.AddSingleton<UsageMeter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UsageMeter>());

        builder.AddMarketplaceBus("provider", declared: [typeof(CapacityChanged), typeof(UsageRecorded), typeof(OutageStarted), typeof(OutageEnded), typeof(UsageLost)]);

        if (options.LoadSeeds)
            builder.Services.AddHostedService<SeedLoader>();
        return builder;
    }
}
