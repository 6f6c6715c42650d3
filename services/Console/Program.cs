using Marketplace.Console.Live;
using Marketplace.Console.Overview;
using Marketplace.Console.SignIn;

namespace Marketplace.Console;

// The operators' console: one page over billing's live event stream, signed in with an operator token.
public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    // Tests build the same application with their own configuration.
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddConsoleServices();

        var app = builder.Build();
        app.UseConsolePipeline();
        app.MapSignIn();
        app.MapLiveFeed();
        app.MapOverview();
        return app;
    }
}
