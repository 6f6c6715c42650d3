using Marketplace.Billing.Consumers;
using Marketplace.Billing.Domain;
using Marketplace.Billing.Ledger;
using Marketplace.Billing.Storage;
using Marketplace.Events.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Bus;

namespace Marketplace.Billing;

public static class Extensions
{
    public static WebApplicationBuilder AddBillingServices(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(BillingOptions.Section).Get<BillingOptions>() ?? new();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new BillingPeriods(options));
        builder.Services.AddSingleton(_ => MarketReference.Load());

        // Redis stores: the ledger in shards and its log, leases heard of, voucher programs, billing periods and invoices
        builder.Services.AddSingleton<LedgerShards>();
        builder.Services.AddHostedService<LedgerShardCheck>();
        builder.Services.AddSingleton<ProgramGrants>();
        builder.Services.AddSingleton<LedgerStore>();
        builder.Services.AddSingleton<InvoiceStore>();
        builder.Services.AddSingleton<LeaseStore>();
        builder.Services.AddSingleton<ParkedUsageStore>();
        builder.Services.AddSingleton<VoucherStore>();

        // The work: rating usage, vouchers, invoices, the live feed
        builder.Services.AddSingleton<UsageTerms>();
        builder.Services.AddSingleton<UsageDesk>();
        builder.Services.AddSingleton<CreditDesk>();
        builder.Services.AddSingleton<ParkedUsageDesk>();
        builder.Services.AddHostedService<ParkedUsageSweeper>();
        builder.Services.AddSingleton<VoucherDesk>();
        builder.Services.AddSingleton<InvoiceDesk>();
        builder.Services.AddSingleton<BillingPeriodDesk>();
        builder.Services.AddSingleton<BillingEventDesk>();
        builder.Services.AddSingleton<BillingLogEvents>();
        builder.Services.AddSingleton<BillingLogFanOut>();
        builder.Services.AddHostedService<BillingLogReader>();

        builder.AddMarketplaceBus("billing", bus =>
        {
            bus.AddConsumer<LeaseCreatedConsumer>();
            bus.AddConsumer<UsageLostConsumer>();
            // Usage in flight at once: the ledger writes what is in flight together, so more at once is
            // fuller batches and fewer fsyncs per event.
            bus.AddConsumer<UsageRecordedConsumer>().Endpoint(endpoint =>
            {
                endpoint.PrefetchCount = options.IngestPrefetch;
                endpoint.ConcurrentMessageLimit = options.IngestPrefetch;
            });
        }, declared: [typeof(InvoiceIssued)]);

        // Closing periods and announcing invoices: registered after the bus, so they start once it has
        builder.Services.AddSingleton<InvoiceRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InvoiceRelay>());
        builder.Services.AddHostedService<BillingPeriodClock>();
        return builder;
    }
}
