using Marketplace.Billing.Storage;
using Marketplace.Events.V1;
using Marketplace.Pricing;
using Marketplace.ServiceDefaults.Bus;

namespace Marketplace.Billing.Ledger;

// An hour an outage took from a lease earns the tenant the offer's SLA credit: that share of the hour's
// charge at the lease's price, posted once (on the lost hour's event id) from the provider's payable to
// the tenant, like any posting: immutable, on the invoice and the provider's statement as a line of its own.
// The lost hour itself is never billed; no platform fee and no voucher touch a credit.
public sealed class CreditDesk(UsageTerms terms, LedgerStore ledger, BillingOptions options, TimeProvider clock,
    ILogger<CreditDesk> logger)
{
    static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(30), LeasePoll = TimeSpan.FromMilliseconds(250);

    public async Task<bool> PostAsync(UsageLost lost, CancellationToken ct)
    {
        if (lost.Units <= 0 || lost.SlaCreditPercent is < 0 or > 100)
            throw PoisonMessageException.Counted("negative quantity", $"lost hour {lost.EventId}: {lost.Units} units at {lost.SlaCreditPercent}%");
        if (lost.Interval?.Start is null)
            throw PoisonMessageException.Counted("no interval", $"lost hour {lost.EventId} has no interval");
        if (lost.SlaCreditPercent == 0)
            return false;
        // Its lease is nearly always known (it was leased before it was lost). A credit that overtook its
        // LeaseCreated waits for it a while; one for a lease that never comes goes to the error queue, saying so.
        var lease = await terms.LeaseAsync(lost.LeaseId);
        for (var waited = TimeSpan.Zero; lease is null && waited < LeaseWait; waited += LeasePoll)
        {
            await Task.Delay(LeasePoll, ct);
            lease = await terms.LeaseAsync(lost.LeaseId);
        }
        if (lease is null)
            throw PoisonMessageException.Counted("unknown lease", $"no lease {lost.LeaseId} for the credit {lost.EventId} after {LeaseWait.TotalSeconds:0} s");
        var allocation = lease.Allocations.FirstOrDefault(a => a.HoldId == lost.HoldId)
                         ?? throw PoisonMessageException.Counted("unknown allocation", $"lease {lease.Id} has no hold {lost.HoldId}");
        var currency = allocation.PricePerHour.Currency;
        if (!options.Currencies.Contains(currency))
            throw PoisonMessageException.Counted("unknown currency", $"lease {lease.Id} is priced in '{currency}'");

        var creditFen = Fen.Round(allocation.PricePerHour.ToDecimal() * lost.Units * lost.SlaCreditPercent / 100m);
        var posting = new PostingRecord($"credit:{lost.EventId}", lost.EventId, lease.Id, lease.TenantId, allocation.ProviderId,
            allocation.DatacenterId, allocation.HubId, allocation.RegionId, allocation.AcceleratorModel, "", "", currency,
            -creditFen, 0, 0, 0, 0, lost.Interval.Start.ToDateTimeOffset().ToUnixTimeMilliseconds(),
            clock.GetUtcNow().ToUnixTimeMilliseconds(), PostingRecord.Credit);
        var (applied, _) = await ledger.PostAsync(posting, 0, ct);
        if (applied)
            logger.LogInformation("SLA credit of {Fen} fen to {TenantId} on lease {LeaseId} for {EventId}", creditFen, lease.TenantId, lease.Id, lost.EventId);
        return applied;
    }
}
