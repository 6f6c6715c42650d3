using Marketplace.Events.V1;
using Marketplace.Testing.Market;
using RabbitMQ.Client;

namespace Marketplace.Integration.Tests.Broker;

// A foreign consumer binds to the lease events as soon as the broker is up, before any lease has
// started, ended or been cancelled: the broker declares their exchanges when it starts, not on the
// first publish.
[Collection(MarketCollection.Name)]
public sealed class The_lease_exchanges(MarketFixture fixture)
{
    const int Database = 13; // shared with Per_tenant_limits (same collection, so never at once)
    static readonly string[] Exchanges =
        [LeaseStarted.Descriptor.FullName, LeaseEnded.Descriptor.FullName, LeaseCancelled.Descriptor.FullName];

    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Exist_as_soon_as_a_broker_has_started()
    {
        var factory = new ConnectionFactory { Uri = _market.Servers.RabbitMqUri };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
            foreach (var exchange in Exchanges)
                await channel.ExchangeDeleteAsync(exchange); // nothing of the market consumes these: only a broker started now can bring them back

        await using var broker = await _market.StartBrokerAsync(
            ("ConnectionStrings:Redis", $"{_market.Servers.RedisConnectionString},defaultDatabase={Database}"),
            ("Bus:EndpointPrefix", $"broker-exchanges-{Guid.NewGuid():N}"[..25]),
            ("Broker:ProviderAddress", _market.Provider.Address.ToString()),
            ("Broker:BillingAddress", _market.Billing.Address.ToString()));

        await using var check = await factory.CreateConnectionAsync();
        foreach (var exchange in Exchanges)
        {
            await using var channel = await check.CreateChannelAsync(); // a failed passive declare closes its channel
            var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
            await channel.QueueBindAsync(queue, exchange, ""); // as a foreign consumer would, without declaring it
        }
    }
}
