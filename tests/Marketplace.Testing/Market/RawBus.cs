using Google.Protobuf;
using RabbitMQ.Client;

namespace Marketplace.Testing.Market;

// Publishes protobuf events as any foreign producer would: bare bytes, the type in a header, to the
// fanout exchange named after the type. One connection, publisher confirms on.
public sealed class RawBus : IAsyncDisposable
{
    readonly IConnection _connection;
    readonly IChannel _channel;

    RawBus(IConnection connection, IChannel channel) => (_connection, _channel) = (connection, channel);

    public static async Task<RawBus> ConnectAsync(Uri rabbit)
    {
        var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new RawBus(connection, channel);
    }

    public async Task PublishAsync(IMessage message, CancellationToken ct = default)
    {
        var type = message.Descriptor.FullName;
        await _channel.ExchangeDeclareAsync(type, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        var properties = new BasicProperties
        {
            ContentType = "application/x-protobuf",
            Persistent = true,
            Headers = new Dictionary<string, object?> { ["proto-message-type"] = type },
        };
        await _channel.BasicPublishAsync(type, "", mandatory: false, properties, message.ToByteArray(), ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
