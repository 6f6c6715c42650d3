using Google.Protobuf.WellKnownTypes;
using Marketplace.Events.V1;
using Marketplace.Provider.Storage;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Bus;
using MassTransit;

namespace Marketplace.Provider.Catalog;

// An outage's latest event on the bus. Until it is there the outage stays marked unannounced, and
// OutageRecovery finishes it again (RabbitMQ away, a cut-off call, the provider killed in between). The
// event id is the outage's and its phase's, so a repeat is the same fact.
public sealed class OutageAnnouncements(OutageStore store, IBus bus, TimeProvider clock, ILogger<OutageAnnouncements> logger)
{
    static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(2);

    public async Task AnnounceAsync(Outage outage, CancellationToken ct)
    {
        try
        {
            var at = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
            if (outage.EndedAt is null)
                await bus.PublishWithinAsync(new OutageStarted { EventId = $"outage-started:{outage.Id}", OccurredAt = at, Outage = outage }, SendTimeout);
            else
                await bus.PublishWithinAsync(new OutageEnded { EventId = $"outage-ended:{outage.Id}", OccurredAt = at, Outage = outage }, SendTimeout);
            // Ended meanwhile: leave the mark, so the pass sends OutageEnded too.
            if ((await store.GetAsync(outage.Id))?.EndedAt is null == outage.EndedAt is null)
                await store.MarkAnnouncedAsync(outage.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("Outage {OutageId} not announced yet ({Reason}); the next pass tries again", outage.Id, ex.Message);
        }
    }

}
