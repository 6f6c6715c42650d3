using System.Text;
using Marketplace.Events.V1;
using Marketplace.Testing.Market;
using RabbitMQ.Client;

namespace Marketplace.Integration.Tests.Billing;

// A foreign consumer of InvoiceIssued with RabbitMQ.Client alone: its own queue bound to the event's
// exchange, which it does not declare. Binding fails unless billing declared the exchange when it started.
sealed class IssuedInvoices : IAsyncDisposable
{
    public static readonly string Exchange = InvoiceIssued.Descriptor.FullName;

    readonly IConnection _connection;
    readonly IChannel _channel;
    readonly string _queue;
    readonly List<InvoiceIssued> _seen = [];

    IssuedInvoices(IConnection connection, IChannel channel, string queue) => (_connection, _channel, _queue) = (connection, channel, queue);

    public static async Task<IssuedInvoices> BindAsync(Uri rabbit)
    {
        var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, Exchange, "");
        return new IssuedInvoices(connection, channel, queue);
    }

    // Removes the exchange, so that only a billing started afterwards can have declared it.
    public static async Task DeleteExchangeAsync(Uri rabbit)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeleteAsync(Exchange);
    }

    // Everything received so far once `done` holds of it.
    public async Task<IReadOnlyList<InvoiceIssued>> UntilAsync(Func<IReadOnlyList<InvoiceIssued>, bool> done, TimeSpan timeout)
    {
        await Eventually.TrueAsync(async () =>
        {
            while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } delivery)
            {
                var type = Encoding.UTF8.GetString((byte[])delivery.BasicProperties.Headers!["proto-message-type"]!);
                Assert.Equal(Exchange, type);
                Assert.Equal("application/x-protobuf", delivery.BasicProperties.ContentType);
                _seen.Add(InvoiceIssued.Parser.ParseFrom(delivery.Body.Span));
            }
            return done(_seen);
        }, "InvoiceIssued on the bus", timeout);
        return _seen.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
