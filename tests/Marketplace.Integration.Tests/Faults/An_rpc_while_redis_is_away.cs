using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Faults;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Faults;

// A store out of reach is the infrastructure's fault, not the caller's: UNAVAILABLE, which clients
// retry, never UNKNOWN; and the same call answers again once the store is back.
[Collection(MarketCollection.Name)]
public sealed class An_rpc_while_redis_is_away(MarketFixture fixture)
{
    const int Database = 14; // see FaultSettings
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Answers_unavailable_and_answers_again_once_it_is_back()
    {
        await using var redis = TcpProxy.ToRedis(_market.Servers.RedisConnectionString);
        await using var billing = await IsolatedBilling.StartAsync(_market, Database, "billing-redis-rpc", redisProxy: redis);
        using var channel = TestChannels.For(billing.Process.Address, MarketUnderTest.TokenFor(MarketRoles.Operator, "ops-fault"));
        var client = new BillingService.BillingServiceClient(channel);
        await client.ListVoucherProgramsAsync(new ListVoucherProgramsRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

        redis.Cut();
        var away = await Assert.ThrowsAsync<RpcException>(() =>
            client.ListVoucherProgramsAsync(new ListVoucherProgramsRequest(), deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, away.StatusCode);

        redis.Pass();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await client.ListVoucherProgramsAsync(new ListVoucherProgramsRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, "billing to answer again once Redis is back", TimeSpan.FromSeconds(30));
    }
}
