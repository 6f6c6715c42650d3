using Google.Protobuf;
using MassTransit;

namespace Marketplace.ServiceDefaults.Bus;

public static class BoundedPublish
{
    // Confirmed by RabbitMQ within `within`, or a TimeoutException (or the caller's cancellation). A
    // publish on a stalled link does not always heed its token, so the wait is bounded here as well; a
    // publish that completes later only sends the same fact twice, which consumers deduplicate.
    public static async Task PublishWithinAsync(this IBus bus, IMessage message, TimeSpan within, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(within);
        await bus.Publish(message, message.GetType(), timeout.Token).WaitAsync(within, ct);
    }
}
