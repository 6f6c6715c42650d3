using Marketplace.Bench.V1;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Bench.Scenarios;

// The provider's cheapest RPC (reference data from memory, no Redis) against a bare echo, both hosted
// and called alike: the ratio is what the market's hosting adds to a unary round trip.
public sealed class UnaryRoundTrip : IScenario
{
    const string Model = "H20";
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public string Name => "unary-roundtrip";
    public string Description => "provider GetAccelerator (reference data from memory) per second and p99; in-process, loopback HTTP/2, one channel each";
    public string Baseline => "a bare gRPC echo hosted and called alike";

    public async Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct)
    {
        // The provider will not start without Redis and RabbitMQ; the echo gets the same settings and ignores them.
        var servers = await context.ServersAsync(ct);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = servers.RedisConnectionString,
            ["ConnectionStrings:RabbitMq"] = servers.RabbitMqUri.ToString(),
            ["Auth:SigningKey"] = MarketUnderTest.SigningKey, // the provider now requires a bearer token on every call
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using var echo = await RunningService.StartAsync(EchoServer.Build, settings, ct);
        await using var provider = await RunningService.StartAsync(Marketplace.Provider.Program.Build, settings, ct);

        var echoClient = new Echo.EchoClient(echo.Channel);
        var providerClient = new ProviderService.ProviderServiceClient(provider.Channel);
        var echoRequest = new EchoRequest { Text = Model };
        var providerRequest = new GetAcceleratorRequest { Model = Model };

        // One checked call each first, so a broken target fails here with its own message, not mid-load.
        var echoed = await echoClient.SayAsync(echoRequest, deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
        var accelerator = await providerClient.GetAcceleratorAsync(providerRequest, deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
        if (echoed.Text != Model || accelerator.Model != Model)
            throw new InvalidOperationException($"unexpected replies: echo '{echoed.Text}', provider '{accelerator.Model}'");

        return await LoadRunner.CompareAsync(
            new LoadTarget("echo", token => echoClient.SayAsync(echoRequest,
                deadline: DateTime.UtcNow + Deadline, cancellationToken: token).ResponseAsync),
            new LoadTarget("provider GetAccelerator", token => providerClient.GetAcceleratorAsync(providerRequest,
                deadline: DateTime.UtcNow + Deadline, cancellationToken: token).ResponseAsync),
            context.Options, ct);
    }
}
