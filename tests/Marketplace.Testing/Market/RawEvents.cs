using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RabbitMQ.Client;

namespace Marketplace.Testing.Market;

// Reads events of the given types off their exchanges with RabbitMQ.Client alone.
public sealed class RawEvents : IAsyncDisposable
{
    readonly IConnection _connection;
    readonly IChannel _channel;
    readonly string _queue;
    readonly List<IMessage> _seen = [];
    readonly Dictionary<string, MessageDescriptor> types;

    RawEvents(IConnection connection, IChannel channel, string queue, IEnumerable<MessageDescriptor> types) =>
        (_connection, _channel, _queue, this.types) = (connection, channel, queue, types.ToDictionary(t => t.FullName));

    public static async Task<RawEvents> ListenAsync(Uri rabbit, params MessageDescriptor[] types)
    {
        var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var type in types)
        {
            await channel.ExchangeDeclareAsync(type.FullName, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(queue, type.FullName, "");
        }
        return new RawEvents(connection, channel, queue, types);
    }

    public async Task<IReadOnlyList<IMessage>> UntilAsync(Func<IReadOnlyList<IMessage>, bool> done, TimeSpan timeout)
    {
        await Eventually.TrueAsync(async () =>
        {
            while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } delivery)
            {
                var type = Encoding.UTF8.GetString((byte[])delivery.BasicProperties.Headers!["proto-message-type"]!);
                _seen.Add(types[type].Parser.ParseFrom(delivery.Body.Span));
            }
            return done(_seen);
        }, "the events awaited", timeout);
        return _seen;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
