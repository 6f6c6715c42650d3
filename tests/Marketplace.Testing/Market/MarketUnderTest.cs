using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Provider.V1;
using Grpc.Net.Client;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Servers;

namespace Marketplace.Testing.Market;

// The three services against a real Redis and RabbitMQ, wired to each other as in production.
public sealed class MarketUnderTest : IAsyncDisposable
{
    MarketUnderTest(TestServers servers, RunningService provider, RunningService broker, RunningService billing)
    {
        Servers = servers;
        Provider = provider;
        Broker = broker;
        Billing = billing;
    }

    public TestServers Servers { get; }
    public RunningService Provider { get; }
    public RunningService Broker { get; }
    public RunningService Billing { get; }

    public ProviderService.ProviderServiceClient ProviderClient => new(Provider.Channel);
    public BrokerService.BrokerServiceClient BrokerClient => new(Broker.Channel);
    public BillingService.BillingServiceClient BillingClient => new(Billing.Channel);

    // One signing key per test run: tokens from TokenFor are valid in every service of the market.
    public static readonly string SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));

    public static TokenIssuer Tokens { get; } = new(new AuthOptions { SigningKey = SigningKey });

    public static string TokenFor(string role, string subject, TimeSpan? lifetime = null) =>
        Tokens.Issue(role, subject, lifetime ?? TimeSpan.FromHours(1));

    // A channel to one of the services that calls as `role`/`subject` (null token: no credentials at all).
    public static GrpcChannel ChannelAs(RunningService service, string? token) => TestChannels.For(service.Address, token);

    // Settings every service of a test market gets: the servers, the signing key, quiet logs.
    public static Dictionary<string, string?> CommonSettings(TestServers servers) => new()
    {
        ["ConnectionStrings:Redis"] = servers.RedisConnectionString,
        ["ConnectionStrings:RabbitMq"] = servers.RabbitMqUri.ToString(),
        ["Auth:SigningKey"] = SigningKey,
        ["JsonUrls"] = "http://127.0.0.1:0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    // Another provider on the same servers, with settings of its own (seeding, a faster clock).
    public Task<RunningService> StartProviderAsync(params (string Key, string? Value)[] settings) =>
        RunningService.StartAsync(Marketplace.Provider.Program.Build, With(CommonSettings(Servers), settings));

    // Another broker on the same servers (it shares the capacity queue: seed its catalog by snapshot).
    public Task<RunningService> StartBrokerAsync(params (string Key, string? Value)[] settings) =>
        RunningService.StartAsync(Marketplace.Broker.Program.Build,
            With(CommonSettings(Servers), [("Broker:Quoting:MaxOptions", "100"), .. settings]));

    // `settings` go to every service, e.g. a shared accelerated clock:
    // ("MarketClock:Speed", "3600"), ("MarketClock:Anchor", DateTimeOffset.UtcNow.ToString("O")).
    public static async Task<MarketUnderTest> StartAsync(bool loadSeeds = false, CancellationToken ct = default,
        params (string Key, string? Value)[] settings)
    {
        var servers = await TestServers.StartAsync(ct);
        var common = With(CommonSettings(servers), settings);

        var started = new List<RunningService>();
        try
        {
            var provider = await RunningService.StartAsync(Marketplace.Provider.Program.Build,
                With(common, ("Provider:LoadSeeds", loadSeeds.ToString())), ct);
            started.Add(provider);
            var billing = await RunningService.StartAsync(Marketplace.Billing.Program.Build, common, ct);
            started.Add(billing);
            // Tests share one catalog: every option within a test's price ceiling is listed, not just the top 5.
            var broker = await RunningService.StartAsync(Marketplace.Broker.Program.Build,
                With(common, ("Broker:ProviderAddress", provider.Address.ToString()),
                    ("Broker:BillingAddress", billing.Address.ToString()), ("Broker:Quoting:MaxOptions", "100")), ct);
            started.Add(broker);
            return new MarketUnderTest(servers, provider, broker, billing);
        }
        catch
        {
            foreach (var service in Enumerable.Reverse(started))
                await service.DisposeAsync();
            await servers.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Billing.DisposeAsync();
        await Broker.DisposeAsync();
        await Provider.DisposeAsync();
        await Servers.DisposeAsync();
    }

    // `common` with `more` on top, as a new dictionary.
    public static Dictionary<string, string?> With(Dictionary<string, string?> common, params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>(common);
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }
}
