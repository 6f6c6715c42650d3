using Marketplace.Billing.V1;
using Marketplace.Testing.Market;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Marketplace.Integration.Tests.Billing;

// A billing of its own in this process, on the market's servers, with settings of its own (a fast market
// clock, short billing periods): its own queues, and a Redis database of its own that is emptied before
// the first start (closed periods and invoice numbers must not carry over from an earlier run).
sealed class OwnBilling : IAsyncDisposable
{
    OwnBilling(RunningService service) => Service = service;

    public RunningService Service { get; }

    public BillingService.BillingServiceClient Operator => new(Service.Channel);

    public DateTimeOffset Now => Get<TimeProvider>().GetUtcNow();

    public T Get<T>() where T : notnull => Service.Services.GetRequiredService<T>();

    public BillingService.BillingServiceClient As(string role, string subject) =>
        new(MarketUnderTest.ChannelAs(Service, MarketUnderTest.TokenFor(role, subject)));

    public static async Task<OwnBilling> StartAsync(MarketUnderTest market, int database, string prefix,
        params (string Key, string? Value)[] settings)
    {
        var all = MarketUnderTest.CommonSettings(market.Servers);
        all["ConnectionStrings:Redis"] += $",defaultDatabase={database}";
        all["Bus:EndpointPrefix"] = prefix;
        foreach (var (key, value) in settings)
            all[key] = value;
        return new OwnBilling(await RunningService.StartAsync(Marketplace.Billing.Program.Build, all));
    }

    public static async Task EmptyAsync(MarketUnderTest market, int database)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(market.Servers.RedisConnectionString);
        var db = redis.GetDatabase(database);
        foreach (var server in redis.GetServers())
            await foreach (var key in server.KeysAsync(database, "billing:*"))
                await db.KeyDeleteAsync(key);
    }

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
