using System.Text;
using Marketplace.Events.V1;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using RabbitMQ.Client;

namespace Marketplace.Integration.Tests;

// The bus promise: any AMQP client reads our events with the .proto alone. No MassTransit here.
[Collection(MarketCollection.Name)]
public sealed class A_foreign_amqp_consumer(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Reads_a_capacity_event_as_plain_protobuf_bytes()
    {
        var factory = new ConnectionFactory { Uri = _market.Servers.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        const string exchange = "marketplace.events.v1.CapacityChanged"; // the full protobuf name
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        var queue = (await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, routingKey: "");

        var siteId = Samples.UniqueId("raw-site");
        await _market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) });
        var offer = await _market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = Samples.Offer(siteId) });

        // Other tests publish on the same exchange meanwhile: read until this offer's event.
        var delivery = await Eventually.GetAsync(async () =>
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } next)
                if (CapacityChanged.Parser.ParseFrom(next.Body.Span).Capacity?.Offer?.Id == offer.Id)
                    return next;
            return null;
        }, "a raw CapacityChanged for the offer");

        Assert.Equal("application/x-protobuf", delivery.BasicProperties.ContentType);
        var typeHeader = delivery.BasicProperties.Headers!["proto-message-type"];
        Assert.Equal(CapacityChanged.Descriptor.FullName, Encoding.UTF8.GetString((byte[])typeHeader!));
        var capacityChanged = CapacityChanged.Parser.ParseFrom(delivery.Body.Span);
        Assert.Equal(offer.Id, capacityChanged.Capacity.Offer.Id);
        Assert.Equal(CapacityChangeReason.Published, capacityChanged.Reason);
        Assert.False(string.IsNullOrEmpty(capacityChanged.EventId));
        Assert.Equal(offer.Count, capacityChanged.Capacity.Free.Single().Free);
    }
}
