using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Console.Exchange;
using Marketplace.Console.Live;
using Marketplace.Console.SignIn;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Grpc;
using Marketplace.ServiceDefaults.Time;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Marketplace.Console;

public static class Extensions
{
    const int DefaultPort = 5110;

    public static WebApplicationBuilder AddConsoleServices(this WebApplicationBuilder builder)
    {
        // Browsers (EventSource included) speak HTTP/1.1 to the console; only the hop to billing is HTTP/2.
        // No AddServiceDefaults here: it makes every endpoint HTTP/2-only, which no browser speaks without TLS.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls($"http://127.0.0.1:{DefaultPort}");
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http1));

        var options = builder.Configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => MarketReference.Load());
        builder.AddMarketClock();

        // Sign-in: an operator's or a tenant's market token, kept in an HttpOnly cookie
        builder.AddConsoleSignIn();

        // Billing, the broker and the provider over h2c, each call with the signed-in person's own token (CallsAs)
        // Retried on Unavailable: the reads, and an accept (keyed on its quote: the same key returns the same
        // lease). Not retried: a quote request (each makes a new quote) and the streams (the page reconnects
        // from its last event itself).
        builder.AddMarketClient<BillingService.BillingServiceClient>(options.BillingAddress,
            BillingService.Descriptor, "ListVoucherPrograms", "ListInvoices");
        builder.AddMarketClient<ExchangeService.ExchangeServiceClient>(options.BrokerAddress,
            ExchangeService.Descriptor, "GetOrderBook", "ListAuctions");
        builder.AddMarketClient<BrokerService.BrokerServiceClient>(options.BrokerAddress,
            BrokerService.Descriptor, "AcceptQuote", "ListLeases", "ListLeaseMoves");
        builder.AddMarketClient<ProviderService.ProviderServiceClient>(options.ProviderAddress,
            ProviderService.Descriptor, "ListDataCenters", "ListOutages");
        builder.Services.AddTransient<BillingCalls>();
        builder.Services.AddTransient<ExchangeCalls>();
        builder.Services.AddTransient<BrokerCalls>();
        builder.Services.AddTransient<ProviderCalls>();
        builder.Services.AddTransient<BillingEventBridge>();
        builder.Services.AddTransient<AuctionBridge>();
        return builder;
    }

    // A quote's window opens relative to the market's now: the services' clock, read from the same settings
    // (MarketClock:Speed and :Anchor), so an accelerated market gets windows in its own time.
    static void AddMarketClock(this WebApplicationBuilder builder)
    {
        var clock = builder.Configuration.GetSection(MarketClockOptions.Section).Get<MarketClockOptions>() ?? new MarketClockOptions();
        builder.Services.AddSingleton<TimeProvider>(
            clock.Speed == 1 && clock.Epoch is null && clock.Anchor is null ? TimeProvider.System : new MarketClock(clock));
    }

    // Tokens go per call over plain h2c on the market's private network, hence the insecure credentials flag.
    // Calls spread over the service's replicas when the address names them all (dns:/// or static:///).
    static void AddMarketClient<TClient>(this WebApplicationBuilder builder, Uri address,
        Google.Protobuf.Reflection.ServiceDescriptor service, params string[] idempotent) where TClient : class =>
        builder.Services.AddBalancedGrpcClient<TClient>(address, service, idempotent)
            .ConfigureChannel(channel => channel.UnsafeUseInsecureChannelCallCredentials = true);

    public static WebApplication UseConsolePipeline(this WebApplication app)
    {
        app.Use(SecurityHeaders.ApplyAsync);

        // The sign-in page's own files are public; everything else in wwwroot needs someone signed in (ConsoleArea).
        var publicFiles = Path.Combine(app.Environment.WebRootPath, "public");
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(publicFiles),
            RequestPath = "/public",
            OnPrepareResponse = Revalidate,
        });
        app.UseAuthentication();
        app.UseAuthorization(); // the fallback policy also covers the static files below (they have no endpoint)
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = Revalidate });
        return app;
    }

    // No build step fingerprints the files: let browsers keep them but ask (ETag) before using them.
    static void Revalidate(StaticFileResponseContext context) =>
        context.Context.Response.Headers.CacheControl = "no-cache";
}
