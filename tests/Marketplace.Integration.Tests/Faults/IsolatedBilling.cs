using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Marketplace.Broker.V1;
using Marketplace.Events.V1;
using Marketplace.Testing.Faults;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Marketplace.Integration.Tests.Faults;

// A billing process of its own (own Redis database, own queues), configured by environment variables as
// in production, with its Redis or RabbitMQ optionally reached through a proxy. Everything a test reads
// of it comes from the real servers, never through the proxy.
sealed class IsolatedBilling : IAsyncDisposable
{
    const string Applied = "billing:{b}:applied";
    const string Balances = "billing:{b}:balances";
    // Readiness probes allow 3 s (deploy/k8s); a health answer later than this is no answer.
    static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(5);

    readonly MarketUnderTest _market;
    readonly ConnectionMultiplexer _redis;
    readonly GrpcChannel _channel;

    IsolatedBilling(MarketUnderTest market, ConnectionMultiplexer redis, ServiceProcess process, int database, string prefix)
    {
        (_market, _redis, Process, Database, Prefix) = (market, redis, process, database, prefix);
        _channel = GrpcChannel.ForAddress(process.GrpcAddress);
    }

    public ServiceProcess Process { get; }
    public int Database { get; }
    public string Prefix { get; }
    public string UsageQueue => $"{Prefix}-usage-recorded";
    public string LeaseQueue => $"{Prefix}-lease-created";
    public string UsageErrorQueue => UsageQueue + "_error";

    IDatabase Ledger => _redis.GetDatabase(Database);

    public static async Task<IsolatedBilling> StartAsync(MarketUnderTest market, int database, string name,
        TcpProxy? redisProxy = null, TcpProxy? rabbitMqProxy = null, CancellationToken ct = default)
    {
        var prefix = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
        var servers = market.Servers;
        var settings = MarketUnderTest.CommonSettings(servers);
        settings["ConnectionStrings:Redis"] =
            $"{redisProxy?.RedisConnectionString(servers.RedisConnectionString) ?? servers.RedisConnectionString},defaultDatabase={database}";
        if (rabbitMqProxy is not null)
            settings["ConnectionStrings:RabbitMq"] = rabbitMqProxy.AmqpUri(servers.RabbitMqUri).ToString();
        settings["Bus:EndpointPrefix"] = prefix;

        var redis = await ConnectionMultiplexer.ConnectAsync(servers.RedisConnectionString);
        try
        {
            var process = await ServiceProcess.StartConfiguredAsync("Marketplace.Billing.dll", settings, ct);
            return new IsolatedBilling(market, redis, process, database, prefix);
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    public Task<bool> KnowsLeaseAsync(string leaseId) => Ledger.KeyExistsAsync($"billing:{{b}}:lease:{leaseId}");

    public async Task<int> AppliedAsync(IEnumerable<UsageRecorded> usages)
    {
        var applied = 0;
        foreach (var chunk in usages.Select(u => (RedisValue)u.EventId).Chunk(2000))
            applied += (await Ledger.SetContainsAsync(Applied, chunk)).Count(x => x);
        return applied;
    }

    public async Task<long> BalanceAsync(string account) => (long)await Ledger.HashGetAsync(Balances, $"{account}|CNY");

    public Task<uint> ReadyAsync(string queue, CancellationToken ct = default) =>
        RabbitMqAdmin.MessageCountAsync(_market.Servers.RabbitMqUri, queue, ct);

    // An error queue that was never declared has nothing in it.
    public async Task<uint> ErrorCountAsync(CancellationToken ct = default)
    {
        try { return await ReadyAsync(UsageErrorQueue, ct); }
        catch (InvalidOperationException) { return 0; }
    }

    // null when billing gave no answer within the deadline: that is not NOT_SERVING.
    public async Task<ServingStatus?> HealthAsync(string service) => (await CheckAsync(service)).Status;

    // Polls health until it answers `expected`; returns how long that took.
    public async Task<TimeSpan> WaitForHealthAsync(string service, ServingStatus expected, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var last = "none";
        while (clock.Elapsed < within)
        {
            var (status, said) = await CheckAsync(service);
            if (status == expected)
                return clock.Elapsed;
            last = said;
            await Task.Delay(200);
        }
        throw new TimeoutException($"billing's health '{service}' did not answer {expected} within {within.TotalSeconds:0} s " +
                                   $"(last: {last}). Billing's last lines:\n{Process.Tail}");
    }

    async Task<(ServingStatus? Status, string Said)> CheckAsync(string service)
    {
        try
        {
            var reply = await new Health.HealthClient(_channel).CheckAsync(new HealthCheckRequest { Service = service },
                deadline: DateTime.UtcNow + HealthDeadline);
            return (reply.Status, reply.Status.ToString());
        }
        catch (RpcException e)
        {
            return (null, $"no answer within {HealthDeadline.TotalSeconds:0} s: {e.StatusCode} {e.Status.Detail}");
        }
    }

    // Every usage posted once and rated to the fen: tenant owes, provider is owed less the fee, the platform
    // keeps the fee, and the three sum to zero. `feesBefore` is the platform's balance before the test.
    public async Task AssertBilledOnceAsync(Lease lease, IReadOnlyCollection<UsageRecorded> usages, long feesBefore)
    {
        await Task.Delay(500); // a moment more, to catch anything applied twice
        var allocation = lease.Allocations[0];
        var mine = 0;
        await foreach (var _ in Ledger.SetScanAsync(Applied, $"usage:{allocation.HoldId}:*", 1000))
            mine++;
        Assert.Equal(usages.Count, mine);
        Assert.Equal(usages.Count, await AppliedAsync(usages));

        var expected = Billing.ExpectedCharges.Of(lease, usages);
        var owed = await BalanceAsync($"tenant:{lease.TenantId}");
        var payable = await BalanceAsync($"provider:{allocation.ProviderId}");
        var platform = await BalanceAsync("platform:fees") - feesBefore;
        Assert.Equal(expected.AmountFen, owed);
        Assert.Equal(-expected.PayableFen, payable);
        Assert.Equal(-expected.FeeFen, platform);

        // One posting per usage in the tenant's entries, none twice (posting ids as UsageDesk makes them).
        var postings = (await Ledger.ListRangeAsync($"billing:{{b}}:entries:tenant:{lease.TenantId}")).Select(p => (string)p!).ToList();
        Assert.Equal(usages.Count, postings.Count);
        Assert.Equal(usages.Select(u => $"post:{u.EventId}").Order(), postings.Order());
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Process.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
