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
    RunningService(WebApplication app, Uri address, string? token)
    {
        App = app;
        Address = address;
        Channel = TestChannels.For(address, token);
    }

    public WebApplication App { get; }
    public Uri Address { get; }
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
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single();
        return new RunningService(app, new Uri(address), token);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
