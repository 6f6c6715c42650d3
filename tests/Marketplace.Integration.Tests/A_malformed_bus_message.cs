using Marketplace.Broker.Catalog;
using Marketplace.Events.V1;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Bus;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Marketplace.Integration.Tests;

[Collection(MarketCollection.Name)]
public sealed class A_malformed_bus_message(MarketFixture fixture)
{
    // The fixture broker's own capacity queue (each broker replica has one).
    static readonly string Queue = BusExtensions.ReplicaQueue("broker", "capacity-changed");
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Lands_in_the_error_queue_is_counted_and_the_consumer_keeps_consuming()
    {
        var poisonBefore = BusMetrics.PoisonTotal;
        var errorsBefore = await ErrorCount();

        await PublishRaw(RandomBytes(257), typeHeader: null);                                 // no type at all
        await PublishRaw(RandomBytes(64), CapacityChanged.Descriptor.FullName);               // garbage claiming a type
        await PublishRaw(new CapacityChanged().ToByteArrayOrEmpty(), "marketplace.events.v1.NoSuchEvent");

        await Eventually.TrueAsync(async () => await ErrorCount() >= errorsBefore + 3, "three messages in the error queue");
        Assert.True(BusMetrics.PoisonTotal >= poisonBefore + 3);

        // The consumer is still there: a good event published afterwards reaches the catalog.
        var siteId = Samples.UniqueId("poison-site");
        await _market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) });
        var offer = await _market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = Samples.Offer(siteId) });
        var catalog = _market.Broker.Services.GetRequiredService<OfferCatalog>();
        await Eventually.TrueAsync(() => Task.FromResult(catalog.Find(offer.Id) is not null), "the good event after the poison");
    }

    Task<uint> ErrorCount() => RabbitMqAdmin.MessageCountAsync(_market.Servers.RabbitMqUri, Queue + "_error", default)
        .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : 0u);

    async Task PublishRaw(byte[] body, string? typeHeader)
    {
        var factory = new ConnectionFactory { Uri = _market.Servers.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties { ContentType = ProtobufContentType.MediaType, Persistent = true };
        if (typeHeader is not null)
            properties.Headers = new Dictionary<string, object?> { [ProtobufContentType.MessageTypeHeader] = typeHeader };
        await channel.BasicPublishAsync(exchange: "", routingKey: Queue, mandatory: true, basicProperties: properties, body: body);
    }

    static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}

static class ProtoBytes
{
    public static byte[] ToByteArrayOrEmpty(this Google.Protobuf.IMessage message) =>
        Google.Protobuf.MessageExtensions.ToByteArray(message);
}
