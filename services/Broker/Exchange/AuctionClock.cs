using Marketplace.ServiceDefaults.Time;
using Marketplace.ServiceDefaults.Replicas;

namespace Marketplace.Broker.Exchange;

// Clears an auction when the market clock reaches an auction hour (see BrokerOptions.AuctionEveryHours).
public sealed class AuctionClock(AuctionDesk auctions, BrokerOptions options, TimeProvider clock, ILogger<AuctionClock> logger, RunnerLease runner)
    : PeriodicWork(options.LeaseTickInterval, logger, runOnce: runner)
{
    protected override async Task TickAsync(CancellationToken ct)
    {
        if (await auctions.IsDueAsync(WholeHours.Floor(clock.GetUtcNow()).AddHours(1)))
            await auctions.RunAsync(scheduled: true, ct);
    }
}
