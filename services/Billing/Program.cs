using Marketplace.Billing.Grpc;
using Marketplace.ServiceDefaults;

namespace Marketplace.Billing;

// Billing: metering into a double-entry ledger, vouchers, invoices and the operators' live stream.
public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    // Tests build the same application with their own configuration.
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults("billing", defaultPort: 5103);
        builder.AddBillingServices();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapGrpcService<BillingGrpcService>();
        return app;
    }
}
