using Marketplace.ServiceDefaults.Time;
using Marketplace.ServiceDefaults.Replicas;

namespace Marketplace.Billing.Ledger;

// Closes billing periods as they end on the market clock (which may run fast), at start-up too: a close
// or an issue a crash interrupted is finished first.
public sealed class BillingPeriodClock(BillingPeriodDesk desk, BillingOptions options, ILogger<BillingPeriodClock> logger, RunnerLease runner)
    : PeriodicWork(options.InvoiceCloseInterval, logger, runAtStart: true, runOnce: runner)
{
    protected override Task TickAsync(CancellationToken ct) => desk.CloseEndedAsync(ct);
}
