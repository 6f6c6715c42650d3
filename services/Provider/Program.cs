using Marketplace.Provider.Grpc;
using Marketplace.ServiceDefaults;

namespace Marketplace.Provider;

// Provider: data centers, offers and the hourly capacity calendar with its holds.
public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    // Tests build the same application with their own configuration.
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults("provider", defaultPort: 5101);
        builder.AddProviderServices();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapGrpcService<ProviderGrpcService>();
        return app;
    }
}
