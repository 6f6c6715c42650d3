using Grpc.Net.Client;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;

namespace Marketplace.Bench.Scenarios;

// Settings for a market service a scenario starts: the shared servers and the test market's signing key,
// but a Redis database and a queue prefix of the scenario's own, so no scenario sees another's offers,
// leases, ledger or queued events.
public static class MarketSettings
{
    public static Dictionary<string, string?> For(TestServers servers, int redisDatabase, string busPrefix,
        params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = RedisFor(servers, redisDatabase),
            ["ConnectionStrings:RabbitMq"] = servers.RabbitMqUri.ToString(),
            ["Bus:EndpointPrefix"] = busPrefix,
            ["Auth:SigningKey"] = MarketUnderTest.SigningKey, // RunningService's channel then calls as an operator
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    // A channel that calls as a tenant, as a buyer would; every call carries its bearer token.
    public static GrpcChannel TenantChannel(Uri address, string tenantId) =>
        TestChannels.For(address, MarketUnderTest.TokenFor(MarketRoles.Tenant, tenantId, TimeSpan.FromHours(6)));

    public static string RedisFor(TestServers servers, int database) =>
        $"{servers.RedisConnectionString},defaultDatabase={database}";

    // The quotes a scenario asked for, gone: they would sit in the cache for their lifetime. With
    // --quotes-in-market they are in the scenario's own database, which it empties itself.
    public static async Task EmptyQuoteCacheAsync(BenchContext context, CancellationToken ct)
    {
        if (context.Options.QuotesInMarket) return;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await context.QuoteRedisAsync(ct));
        foreach (var endpoint in redis.GetEndPoints())
            await redis.GetServer(endpoint).FlushAllDatabasesAsync();
    }

    // A scenario's database starts empty, so its figures never depend on an earlier run's data
    // (the bench's own servers have allowAdmin; servers given by environment variables need it too).
    public static async Task EmptyDatabaseAsync(TestServers servers, int database)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(servers.RedisConnectionString);
        foreach (var endpoint in redis.GetEndPoints())
            await redis.GetServer(endpoint).FlushDatabaseAsync(database);
    }
}
