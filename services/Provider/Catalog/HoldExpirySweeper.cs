using Marketplace.Events.V1;
using Marketplace.Provider.Storage;
using Marketplace.ServiceDefaults.Time;
using Marketplace.ServiceDefaults.Replicas;

namespace Marketplace.Provider.Catalog;

// Gives back the capacity of holds whose TTL ran out, within one sweep interval, and tells the market.
// Every calendar call sweeps its own offer too; this catches offers nobody touches.
public sealed class HoldExpirySweeper(OfferStore offers, CalendarStore calendar, CapacityPublisher capacity,
    ProviderOptions options, TimeProvider clock, ILogger<HoldExpirySweeper> logger, RunnerLease runner)
    : PeriodicWork(options.HoldSweepInterval, logger, runOnce: runner)
{
    protected override async Task TickAsync(CancellationToken ct)
    {
        foreach (var offerId in await offers.IdsAsync())
        {
            var expired = await calendar.SweepAsync(offerId, clock.GetUtcNow().ToUnixTimeMilliseconds());
            if (expired == 0)
                continue;
            logger.LogInformation("{Expired} holds on offer {OfferId} expired", expired, offerId);
            await capacity.AnnounceAsync(offerId, CapacityChangeReason.Expired, ct);
        }
    }
}
