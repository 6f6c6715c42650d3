using Grpc.Net.Client;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace Marketplace.Integration.Tests.Billing;

// A provider, billing and broker of a test's own, in this process, on one accelerated market clock, with
// a Redis database and queues (Bus:EndpointPrefix) of their own: the test sees only its own catalog, leases
// and ledger. The RabbitMQ server is the fixture's, so the fixture's services hear this market's events
// too; a test using it lists only accelerator models and ids no other test quotes on.
sealed class AcceleratedMarket : IAsyncDisposable
{
    readonly Uri? _rabbitMq;
    readonly string _prefix;
    readonly List<GrpcChannel> _channels = [];

    AcceleratedMarket(Uri? rabbitMq, string prefix, RunningService provider, RunningService billing, RunningService broker, double speed)
    {
        (_rabbitMq, _prefix, Provider, Billing, Broker, Speed) = (rabbitMq, prefix, provider, billing, broker, speed);
    }

    public RunningService Provider { get; }
    public RunningService Billing { get; }
    public RunningService Broker { get; }
    public double Speed { get; }

    // The start of every queue name of this market's services.
    public string Prefix => _prefix;

    // As the operator, who may do anything and is never rate limited.
    public ProviderService.ProviderServiceClient ProviderClient => new(Provider.Channel);
    public BillingService.BillingServiceClient BillingClient => new(Billing.Channel);
    public BrokerService.BrokerServiceClient BrokerClient => new(Broker.Channel);

    // The market's time now (every service of it agrees).
    public DateTimeOffset Now => Broker.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    // Real time until a market instant.
    public TimeSpan RealUntil(DateTimeOffset marketTime) =>
        TimeSpan.FromTicks((long)(Math.Max(0, (marketTime - Now).Ticks) / Speed));

    // A tenant's or provider's own view, with its own token.
    public BrokerService.BrokerServiceClient BrokerAs(string tenant) => new(Channel(Broker, MarketRoles.Tenant, tenant));
    public ExchangeService.ExchangeServiceClient ExchangeAs(string tenant) => new(Channel(Broker, MarketRoles.Tenant, tenant));
    public ProviderService.ProviderServiceClient ProviderAs(string provider) => new(Channel(Provider, MarketRoles.Provider, provider));
    public BillingService.BillingServiceClient BillingAsTenant(string tenant) => new(Channel(Billing, MarketRoles.Tenant, tenant));
    public BillingService.BillingServiceClient BillingAsProvider(string provider) => new(Channel(Billing, MarketRoles.Provider, provider));

    GrpcChannel Channel(RunningService service, string role, string subject)
    {
        var channel = MarketUnderTest.ChannelAs(service, MarketUnderTest.TokenFor(role, subject));
        lock (_channels)
            _channels.Add(channel);
        return channel;
    }

    // The database is this market's alone and is emptied first: servers given by environment variables keep
    // what earlier runs left, and an earlier run's offers would be quoted alongside this one's.
    // `redis`: a Redis of the market's own instead (a fresh Redis Cluster). `rabbitMq`: a RabbitMQ of the
    // test's own (a cluster's node list) instead of the fixture's; it is the test's to discard, so the queues
    // are left to it. `more`: settings for every service.
    public static async Task<AcceleratedMarket> StartAsync(MarketUnderTest fixture, int database, double speed,
        decimal platformFeePercent, string? redis = null, string? rabbitMq = null, params (string Key, string? Value)[] more)
    {
        if (redis is null)
        {
            await using var shared = await ConnectionMultiplexer.ConnectAsync(fixture.Servers.RedisConnectionString + ",allowAdmin=true");
            await shared.GetServer(shared.GetEndPoints()[0]).FlushDatabaseAsync(database);
        }
        var prefix = $"quoted-{Guid.NewGuid():N}"[..19];
        var settings = MarketUnderTest.With(MarketUnderTest.CommonSettings(fixture.Servers), more);
        settings["ConnectionStrings:Redis"] = redis ?? $"{fixture.Servers.RedisConnectionString},defaultDatabase={database}";
        settings["MarketClock:Speed"] = speed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["MarketClock:Anchor"] = DateTimeOffset.UtcNow.ToString("O");
        settings["Bus:EndpointPrefix"] = prefix;
        if (rabbitMq is not null)
            settings["ConnectionStrings:RabbitMq"] = rabbitMq;

        var provider = RunningService.StartAsync(Marketplace.Provider.Program.Build,
            MarketUnderTest.With(settings, ("Provider:MeterInterval", "00:00:00.100")));
        var billing = RunningService.StartAsync(Marketplace.Billing.Program.Build,
            MarketUnderTest.With(settings, ("Billing:PlatformFeePercent", platformFeePercent.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        try
        {
            await Task.WhenAll(provider, billing);
            var broker = await RunningService.StartAsync(Marketplace.Broker.Program.Build, MarketUnderTest.With(settings,
                ("Broker:ProviderAddress", provider.Result.Address.ToString()),
                ("Broker:BillingAddress", billing.Result.Address.ToString()),
                ("Broker:LeaseTickInterval", "00:00:00.100"),
                ("Broker:Quoting:MaxOptions", "100")));
            return new AcceleratedMarket(rabbitMq is null ? fixture.Servers.RabbitMqUri : null, prefix, provider.Result, billing.Result, broker, speed);
        }
        catch
        {
            foreach (var started in new[] { provider, billing }.Where(t => t.IsCompletedSuccessfully))
                await started.Result.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_channels)
            foreach (var channel in _channels)
                channel.Dispose();
        await Broker.DisposeAsync();
        await Billing.DisposeAsync();
        await Provider.DisposeAsync();
        await DeleteQueuesAsync();
    }

    // This market's queues stay bound to the shared exchanges after it stops and would fill with the rest of
    // the run's events: delete them (best effort).
    async Task DeleteQueuesAsync()
    {
        if (_rabbitMq is null)
            return;
        try
        {
            var factory = new ConnectionFactory { Uri = _rabbitMq!, AutomaticRecoveryEnabled = false };
            await using var connection = await factory.CreateConnectionAsync();
            var queues = new[] { "lease-created", "usage-recorded", "outage-started", "usage-lost" }.Select(q => $"{_prefix}-{q}")
                .Append(Marketplace.ServiceDefaults.Bus.BusExtensions.ReplicaQueue(_prefix, "capacity-changed"));
            foreach (var queue in queues)
                foreach (var name in new[] { queue, $"{queue}_error", $"{queue}_skipped" })
                {
                    await using var channel = await connection.CreateChannelAsync();
                    try { await channel.QueueDeleteAsync(name, ifUnused: false, ifEmpty: false); }
                    catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) { } // never declared
                }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"could not delete the queues {_prefix}-*: {e.Message}");
        }
    }
}
