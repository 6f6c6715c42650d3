using Marketplace.Console.Exchange;
using Marketplace.Console.Live;
using Marketplace.Console.Overview;
using Marketplace.Console.SignIn;
using Marketplace.Console.Tenant;

namespace Marketplace.Console;

// The console: the operators' page over billing's live stream and the exchange, and a tenant's page for
// quotes, leases and the bill, each signed in with the market's own token.
public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    // Tests build the same application with their own configuration.
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The page is served from beside the binary (see the .csproj), whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        configure?.Invoke(builder);
        builder.AddConsoleServices();

        var app = builder.Build();
        app.UseConsolePipeline();
        app.MapSignIn();
        app.MapLiveFeed();
        app.MapOverview();
        app.MapExchange();
        app.MapTenantPage();
        return app;
    }
}
