using Grpc.AspNetCore.HealthChecks;
using Marketplace.Billing.V1;
using Marketplace.Broker.Catalog;
using Marketplace.Broker.Consumers;
using Marketplace.Broker.Domain;
using Marketplace.Broker.Leasing;
using Marketplace.Broker.Quoting;
using Marketplace.Broker.Storage;
using Marketplace.Broker.Telemetry;
using Marketplace.Events.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Bus;
using Marketplace.ServiceDefaults.Grpc;
using Marketplace.ServiceDefaults.Health;

namespace Marketplace.Broker;

public static class Extensions
{
    public static WebApplicationBuilder AddBrokerServices(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(BrokerOptions.Section).Get<BrokerOptions>() ?? new();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => MarketReference.Load());

        // The catalog read model: each replica's own, seeded from the provider's snapshot and kept current by
        // capacity events on a queue of its own (bound before the snapshot is read: see the bus below)
        builder.Services.AddSingleton<OfferCatalog>();
        // Every call the broker makes to the provider is retried on Unavailable, since doing it twice does it
        // once: the snapshot (a read); a hold (keyed by its idempotency key: the same key returns the same
        // hold); a confirm (the same hold and lease return the hold as it is); a release (a hold released
        // already gives nothing more back).
        builder.Services.AddBalancedGrpcClient<ProviderService.ProviderServiceClient>(options.ProviderAddress,
                ProviderService.Descriptor, "GetCatalogSnapshot", "HoldCapacity", "ConfirmHold", "ReleaseHold")
            .ConfigureChannel(channel => channel.MaxReceiveMessageSize = options.MaxProviderReplyBytes)
            .WithServiceToken();

        // Quotes: ranked from the read model; vouchers' terms from billing
        builder.Services.AddSingleton(builder.Configuration.GetSection(QuotingPolicy.Section).Get<QuotingPolicy>() ?? new());
        var quoteCache = builder.Configuration.GetConnectionString("QuoteCache");
        builder.Services.AddSingleton(sp => QuoteCache.From(quoteCache, sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>()));
        if (!string.IsNullOrWhiteSpace(quoteCache))
        {
            builder.Services.AddHealthChecks().AddCheck<QuoteCacheHealthCheck>(QuoteCacheHealthCheck.Name,
                tags: [QuoteCacheHealthCheck.Name, HealthTags.Aside]);
            builder.Services.Configure<GrpcHealthChecksOptions>(health =>
                health.Services.Map(QuoteCacheHealthCheck.Name, r => r.Tags.Contains(QuoteCacheHealthCheck.Name)));
        }
        builder.Services.AddSingleton<QuoteStore>();
        builder.Services.AddSingleton<QuoteDesk>();
        // The broker only reads vouchers' terms from billing: both reads are retried on Unavailable.
        builder.Services.AddBalancedGrpcClient<BillingService.BillingServiceClient>(options.BillingAddress,
                BillingService.Descriptor, "GetVoucher", "GetVoucherProgram")
            .WithServiceToken();
        builder.Services.AddSingleton<VoucherLookup>();
        builder.Services.AddSingleton<Grpc.TenantRateLimits>();

        // Leases: accepted quotes held and confirmed at the provider, started and ended on the hour
        builder.Services.AddSingleton<LeaseStore>();
        builder.Services.AddSingleton<AcceptStore>();
        builder.Services.AddSingleton<ProviderHolds>();
        builder.Services.AddSingleton<AcceptUndo>();
        builder.Services.AddSingleton<LiveBrokers>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveBrokers>());
        builder.Services.AddSingleton<LeaseEvents>();
        builder.Services.AddSingleton<LeaseDesk>();
        builder.Services.AddHostedService<LeaseClock>();
        builder.Services.AddHostedService<AcceptRecovery>();

        // Failover: the leases an outage hits are placed again through the accept protocol
        builder.Services.AddSingleton<Failover.FailoverStore>();
        builder.Services.AddSingleton<Failover.FailoverDesk>();
        builder.Services.AddSingleton<Failover.MoveLog>();

        // The exchange: bids, and a call auction on the market clock whose matches become leases as above
        builder.Services.AddSingleton<Exchange.BidStore>();
        builder.Services.AddSingleton<Exchange.ExchangeEvents>();
        builder.Services.AddSingleton<Exchange.ExchangeDesk>();
        builder.Services.AddSingleton<Exchange.MatchLeases>();
        builder.Services.AddSingleton<Exchange.AuctionDesk>();
        builder.Services.AddHostedService<Exchange.AuctionClock>();

        // Lease events leave through the outbox: written with the lease, relayed until RabbitMQ confirms
        builder.Services.AddSingleton<OutboxStore>();
        builder.Services.AddSingleton<OutboxRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());

        // The outbox's backlog, for /metrics (quotes and accepts are counted at the gRPC edge)
        builder.Services.AddHostedService<OutboxBacklogMeter>();

        // Every event it publishes has its exchange from start-up: a foreign consumer can bind before the first lease.
        builder.AddMarketplaceBus("broker", bus =>
            {
                bus.AddReplicaConsumer<CapacityChangedConsumer>(BusExtensions.ReplicaQueue(BusExtensions.PrefixOf(builder.Configuration, "broker"), "capacity-changed"));
                bus.AddConsumer<OutageStartedConsumer>();
            },
            declared: [typeof(LeaseCreated), typeof(LeaseStarted), typeof(LeaseEnded), typeof(LeaseCancelled), typeof(LeaseMoved), typeof(LeasePreempted),
                typeof(BidPlaced), typeof(AuctionCleared), typeof(BidFilled), typeof(BidExpired)]);
        // After the bus, which starts (its queues bound) before the hosted services registered after it: no
        // capacity event falls between the snapshot and the queue.
        builder.Services.AddHostedService<CatalogSnapshotLoader>();
        return builder;
    }
}
