using Grpc.Net.Client;
using Marketplace.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Testing.Market;

// One service of the market running in this process on a real loopback socket.
public sealed class RunningService : IAsyncDisposable
{
    RunningService(WebApplication app, Uri address, Uri? jsonAddress, string? token)
    {
        App = app;
        Address = address;
        JsonAddress = jsonAddress;
        Channel = TestChannels.For(address, token);
    }

    public WebApplication App { get; }
    public Uri Address { get; }

    // The HTTP/1.1 endpoint of the JSON routes, when the settings ask for one ("JsonUrls").
    public Uri? JsonAddress { get; }
    public GrpcChannel Channel { get; }
    public IServiceProvider Services => App.Services;

    public delegate WebApplication Builder(string[] args, Action<WebApplicationBuilder>? configure);

    // The channel calls as an operator (who may do anything) when the settings carry a signing key.
    public static async Task<RunningService> StartAsync(Builder build, IDictionary<string, string?> settings,
        CancellationToken ct = default)
    {
        var token = settings.TryGetValue("Auth:SigningKey", out var key) && key is not null
            ? new TokenIssuer(new AuthOptions { SigningKey = key }).Issue(MarketRoles.Operator, "test-operator", TimeSpan.FromHours(6))
            : null;
        var app = build(["--urls", "http://127.0.0.1:0", "--environment", "Development"],
            builder => builder.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync(ct);
        // gRPC endpoints are bound first, then the JSON one (see ServiceEndpoints).
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Select(a => new Uri(a)).ToList();
        return new RunningService(app, addresses[0], addresses.Count > 1 ? addresses[^1] : null, token);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
