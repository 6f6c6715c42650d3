using Google.Protobuf;
using Marketplace.ServiceDefaults.Bus;
using RabbitMQ.Client;

namespace Marketplace.Integration.Tests.Faults;

// Publishes straight to one queue by name (the default exchange), with confirms, so a test's orphans and
// poison reach only its own billing and never the market's shared one. Mandatory: a wrong name fails.
sealed class QueuePublisher : IAsyncDisposable
{
    readonly IConnection _connection;
    readonly IChannel _channel;

    QueuePublisher(IConnection connection, IChannel channel) => (_connection, _channel) = (connection, channel);

    public static async Task<QueuePublisher> ConnectAsync(Uri rabbit)
    {
        var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new QueuePublisher(connection, channel);
    }

    public Task PublishAsync(string queue, IMessage message, CancellationToken ct = default) =>
        PublishRawAsync(queue, message.ToByteArray(), message.Descriptor.FullName, ct);

    // A null type header sends none at all.
    public async Task PublishRawAsync(string queue, byte[] body, string? typeHeader, CancellationToken ct = default)
    {
        var properties = new BasicProperties { ContentType = ProtobufContentType.MediaType, Persistent = true };
        if (typeHeader is not null)
            properties.Headers = new Dictionary<string, object?> { [ProtobufContentType.MessageTypeHeader] = typeHeader };
        await _channel.BasicPublishAsync("", queue, mandatory: true, properties, body, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
