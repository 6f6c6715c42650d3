using Marketplace.Billing.Consumers;
using Marketplace.Billing.Ledger;
using Marketplace.Billing.Storage;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Bus;

namespace Marketplace.Billing;

public static class Extensions
{
    public static WebApplicationBuilder AddBillingServices(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(BillingOptions.Section).Get<BillingOptions>() ?? new();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => MarketReference.Load());

        // Redis stores: the ledger and its log, leases heard of, voucher programs
        builder.Services.AddSingleton<LedgerStore>();
        builder.Services.AddSingleton<LeaseStore>();
        builder.Services.AddSingleton<ParkedUsageStore>();
        builder.Services.AddSingleton<VoucherStore>();

        // The work: rating usage, vouchers, invoices, the live feed
        builder.Services.AddSingleton<UsageDesk>();
        builder.Services.AddSingleton<ParkedUsageDesk>();
        builder.Services.AddHostedService<ParkedUsageSweeper>();
        builder.Services.AddSingleton<VoucherDesk>();
        builder.Services.AddSingleton<InvoiceDesk>();
        builder.Services.AddSingleton<BillingEventDesk>();

        builder.AddMarketplaceBus("billing", bus =>
        {
            bus.AddConsumer<LeaseCreatedConsumer>();
            bus.AddConsumer<UsageRecordedConsumer>();
        });
        return builder;
    }
}
