using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Marketplace.Testing.Servers;

// Small AMQP-only helpers for tests (no management plugin needed).
public static class RabbitMqAdmin
{
    // Ready messages (not unacked ones). A missing queue is an error, not 0: it usually means a wrong name.
    public static Task<uint> MessageCountAsync(Uri amqp, string queue, CancellationToken ct = default) =>
        WithChannelAsync(amqp, queue, async channel => (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount, ct);

    // Returns how many messages were purged.
    public static Task<uint> PurgeAsync(Uri amqp, string queue, CancellationToken ct = default) =>
        WithChannelAsync(amqp, queue, channel => channel.QueuePurgeAsync(queue, ct), ct);

    static async Task<T> WithChannelAsync<T>(Uri amqp, string queue, Func<IChannel, Task<T>> action, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = amqp, AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        try { return await action(channel); }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            throw new InvalidOperationException($"RabbitMQ queue '{queue}' does not exist on vhost '{factory.VirtualHost}' ({amqp.Host}:{amqp.Port})", e);
        }
    }
}
