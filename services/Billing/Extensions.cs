using Marketplace.ServiceDefaults.Bus;

namespace Marketplace.Billing;

public static class Extensions
{
    public static WebApplicationBuilder AddBillingServices(this WebApplicationBuilder builder)
    {
        // The ledger's consumers of lease and usage events join this bus as they land.
        builder.AddMarketplaceBus("billing");
        return builder;
    }
}
