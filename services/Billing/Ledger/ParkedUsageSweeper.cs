using Marketplace.Billing.Storage;
using Marketplace.ServiceDefaults.Time;
using Marketplace.ServiceDefaults.Replicas;

namespace Marketplace.Billing.Ledger;

// Now and then, applies parked usage whose lease is known by now: a second path besides the lease's
// arrival, should a LeaseCreated have been applied while its usage was being parked elsewhere.
public sealed class ParkedUsageSweeper(ParkedUsageStore parked, LeaseStore leases, ParkedUsageDesk desk, BillingOptions options,
    ILogger<ParkedUsageSweeper> logger, RunnerLease runner) : PeriodicWork(options.ParkedSweepInterval, logger, runOnce: runner)
{
    protected override async Task TickAsync(CancellationToken ct)
    {
        foreach (var leaseId in await parked.LeasesAsync(take: 1000))
            if (await leases.GetAsync(leaseId) is not null)
                await desk.DrainAsync(leaseId, ct);
    }
}
