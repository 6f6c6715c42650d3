using System.Collections.Concurrent;
using System.Threading.Channels;
using Marketplace.Events.V1;

namespace Marketplace.Provider.Catalog;

// Holds, confirms and releases answer as soon as the calendar has the change; telling the market follows
// here, off the caller's path (a publish waits for RabbitMQ's confirm). Each CapacityChanged carries the
// offer's whole free capacity, so changes to one offer that come faster than they are sent collapse into
// one event with the latest: at most one waiting entry per offer, whatever the load.
public sealed class CapacityAnnouncements(CapacityPublisher publisher, ILogger<CapacityAnnouncements> logger) : BackgroundService
{
    const int Senders = 4;

    readonly ConcurrentDictionary<string, CapacityChangeReason> _waiting = new(StringComparer.Ordinal);
    readonly Channel<string> _offers = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false });

    public void Announce(string offerId, CapacityChangeReason reason)
    {
        var fresh = false;
        _waiting.AddOrUpdate(offerId, _ => { fresh = true; return reason; }, (_, _) => reason);
        if (fresh)
            _offers.Writer.TryWrite(offerId);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => SendAsync(stoppingToken)));

    async Task SendAsync(CancellationToken ct)
    {
        await foreach (var offerId in _offers.Reader.ReadAllAsync(ct))
        {
            // Taken off before reading the calendar: a change after this point queues the offer again.
            if (!_waiting.TryRemove(offerId, out var reason))
                continue;
            try
            {
                await publisher.AnnounceAsync(offerId, reason, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("CapacityChanged for offer {OfferId} was not sent: {Reason}", offerId, ex.Message);
            }
        }
    }
}
