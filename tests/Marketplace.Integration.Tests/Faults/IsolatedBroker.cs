using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Marketplace.Broker.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Faults;
using Marketplace.Testing.Market;
using StackExchange.Redis;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Marketplace.Integration.Tests.Faults;

// A broker process of its own (own Redis database, own capacity queue), wired to the fixture's provider
// and billing as in production, that a test can kill -9 and start again, optionally reaching RabbitMQ
// through a proxy. Accepts are given short budgets so recovery shows within seconds.
sealed class IsolatedBroker : IAsyncDisposable
{
    static readonly string Operator = MarketUnderTest.TokenFor(MarketRoles.Operator, "fault-operator", TimeSpan.FromHours(2));
    readonly Dictionary<string, string> _environment;
    readonly ConnectionMultiplexer _redis;
    GrpcChannel _channel;

    IsolatedBroker(Dictionary<string, string> environment, ConnectionMultiplexer redis, ServiceProcess process, int database)
    {
        (_environment, _redis, Process, Database) = (environment, redis, process, database);
        _channel = TestChannels.For(process.Address, Operator);
    }

    public ServiceProcess Process { get; private set; }
    public int Database { get; }
    public int Starts { get; private set; } = 1;

    // The process of the moment: after a restart, a new port.
    public BrokerService.BrokerServiceClient Client => new(Volatile.Read(ref _channel));

    // What the broker wrote, read from Redis itself.
    public IDatabase Store => _redis.GetDatabase(Database);

    // What the fixture's own services (provider, billing) wrote.
    public IDatabase FixtureStore => _redis.GetDatabase(0);

    public static readonly (string Key, string Value)[] FastRecovery =
    [
        ("Broker:AcceptTimeout", "00:00:02"), ("Broker:AcceptStaleAfter", "00:00:03"),
        ("Broker:AcceptRecoveryInterval", "00:00:01"), ("Broker:HoldTtl", "00:00:05"),
        ("Broker:OutboxRelayInterval", "00:00:00.500"),
    ];

    public static async Task<IsolatedBroker> StartAsync(MarketUnderTest market, int database, TcpProxy? rabbitMqProxy = null,
        CancellationToken ct = default, params (string Key, string Value)[] settings)
    {
        var servers = market.Servers;
        var config = MarketUnderTest.CommonSettings(servers);
        config["ConnectionStrings:Redis"] = $"{servers.RedisConnectionString},defaultDatabase={database}";
        if (rabbitMqProxy is not null)
            config["ConnectionStrings:RabbitMq"] = rabbitMqProxy.AmqpUri(servers.RabbitMqUri).ToString();
        config["Bus:EndpointPrefix"] = $"broker-fault-{Guid.NewGuid():N}"[..21];
        config["Broker:ProviderAddress"] = market.Provider.Address.ToString();
        config["Broker:BillingAddress"] = market.Billing.Address.ToString();
        config["Broker:Quoting:MaxOptions"] = "100";
        foreach (var (key, value) in FastRecovery.Concat(settings))
            config[key] = value;
        var environment = ServiceProcess.EnvironmentFor(config);

        var redis = await ConnectionMultiplexer.ConnectAsync(servers.RedisConnectionString);
        try
        {
            var process = await ServiceProcess.StartAsync("Marketplace.Broker.dll", environment, ct);
            return new IsolatedBroker(environment, redis, process, database);
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    public Task KillAsync() => Process.KillAsync();

    // Another process of the same broker: same Redis database, same queues, its own catalog queue.
    public Task<ServiceProcess> StartReplicaAsync(CancellationToken ct) => ServiceProcess.StartAsync("Marketplace.Broker.dll", _environment, ct);

    public async Task StartAgainAsync(CancellationToken ct)
    {
        Process = await ServiceProcess.StartAsync("Marketplace.Broker.dll", _environment, ct);
        var old = Interlocked.Exchange(ref _channel, TestChannels.For(Process.Address, Operator));
        old.Dispose();
        Starts++;
    }

    public async Task<Lease?> StoredLeaseAsync(string leaseId)
    {
        var bytes = await Store.HashGetAsync(Marketplace.Broker.Storage.LeaseStore.Key(leaseId), "l");
        return bytes.IsNull ? null : Lease.Parser.ParseFrom((byte[])bytes!);
    }

    public async Task<IReadOnlyList<Lease>> StoredLeasesAsync(IEnumerable<string> leaseIds) =>
        (await Task.WhenAll(leaseIds.Select(StoredLeaseAsync))).OfType<Lease>().ToList();

    public Task<long> PendingAcceptsAsync() => Store.SortedSetLengthAsync(Marketplace.Broker.Storage.BrokerKeys.Tag + ":accepts:pending");

    public Task<long> UnsentEventsAsync() => Store.SortedSetLengthAsync(Marketplace.Broker.Storage.OutboxStore.Due);

    // null when the broker gave no answer at all.
    public async Task<ServingStatus?> HealthAsync(string service)
    {
        try
        {
            return (await new Health.HealthClient(_channel).CheckAsync(new HealthCheckRequest { Service = service },
                deadline: DateTime.UtcNow.AddSeconds(5))).Status;
        }
        catch (RpcException) { return null; }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Process.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
