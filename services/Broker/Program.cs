using Marketplace.Broker.Grpc;
using Marketplace.ServiceDefaults;

namespace Marketplace.Broker;

// Broker: quotes across regions from a read model of the provider's catalog, and leases.
public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    // Tests build the same application with their own configuration.
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults("broker", defaultPort: 5102);
        builder.AddBrokerServices();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapGrpcService<BrokerGrpcService>();
        app.MapGrpcService<ExchangeGrpcService>();
        return app;
    }
}
