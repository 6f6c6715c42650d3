using Marketplace.Billing.Domain;
using Marketplace.Billing.Storage;
using Marketplace.Broker.V1;
using Marketplace.Events.V1;
using Marketplace.Pricing;
using Marketplace.ServiceDefaults.Bus;

namespace Marketplace.Billing.Ledger;

// Rates a usage record at its lease's price and posts it once: tenant (less its voucher), provider
// payable, platform fee and voucher fund, summing to zero.
public sealed class UsageDesk(UsageTerms terms, ParkedUsageStore parked, LedgerStore ledger,
    BillingOptions options, TimeProvider clock, ILogger<UsageDesk> logger)
{
    public enum Outcome { Applied, Duplicate, Parked }

    public async Task<Outcome> PostAsync(UsageRecorded usage, CancellationToken ct)
    {
        if (usage.AcceleratorSeconds <= 0)
            throw PoisonMessageException.Counted("negative quantity", $"usage {usage.EventId} has {usage.AcceleratorSeconds} accelerator-seconds");
        if (usage.Interval?.Start is null)
            throw PoisonMessageException.Counted("no interval", $"usage {usage.EventId} has no interval");
        var lease = await terms.LeaseAsync(usage.LeaseId);
        if (lease is null)
        {
            // Its LeaseCreated is on its way: park the usage; the lease's arrival applies it.
            if (await parked.ParkAsync(usage, clock.GetUtcNow().ToUnixTimeMilliseconds()))
            {
                logger.LogInformation("Usage {EventId} parked until lease {LeaseId} is heard of", usage.EventId, usage.LeaseId);
                return Outcome.Parked;
            }
            lease = await terms.LeaseAsync(usage.LeaseId) ?? throw new InvalidOperationException($"lease {usage.LeaseId} vanished");
        }
        var allocation = lease.Allocations.FirstOrDefault(a => a.HoldId == usage.HoldId)
                         ?? throw PoisonMessageException.Counted("unknown allocation", $"lease {lease.Id} has no hold {usage.HoldId}");
        var currency = allocation.PricePerHour.Currency;
        if (!options.Currencies.Contains(currency))
            throw PoisonMessageException.Counted("unknown currency", $"lease {lease.Id} is priced in '{currency}'");

        var (programId, cover) = await terms.VoucherCoverAsync(lease.VoucherId, lease.TenantId);
        var charge = Charge(lease, allocation, usage, cover);
        var posting = new PostingRecord($"post:{usage.EventId}", usage.EventId, lease.Id, lease.TenantId,
            allocation.ProviderId, allocation.DatacenterId, allocation.HubId, allocation.RegionId,
            allocation.AcceleratorModel, lease.VoucherId, charge.VoucherFen > 0 ? programId : "", currency, charge.AmountFen,
            charge.FeeFen, 0, usage.AcceleratorSeconds, usage.EnergyKwh,
            usage.Interval.Start.ToDateTimeOffset().ToUnixTimeMilliseconds(), clock.GetUtcNow().ToUnixTimeMilliseconds());

        var share = charge.VoucherFen;
        var (applied, subsidy) = await ledger.PostAsync(posting, share, ct);
        if (!applied)
            logger.LogDebug("Usage {EventId} was applied before; skipped", usage.EventId);
        else if (share > subsidy)
            logger.LogInformation("Voucher {VoucherId} paid {Paid} of {Share} fen for {EventId}: its cap or budget ran out",
                lease.VoucherId, subsidy, share, usage.EventId);
        return applied ? Outcome.Applied : Outcome.Duplicate;
    }

    // One hour of one allocation, priced as the quote priced the lease (LeaseCharges), so the lease's
    // postings sum to the quote to the fen. Usage that is not one whole hour of its allocation (from a
    // producer other than the market's meter) is rated on its own by the same rounding rule.
    Charge Charge(Lease lease, LeaseAllocation allocation, UsageRecorded usage, VoucherCover? cover)
    {
        var parts = lease.Allocations.Select(a => Part(lease, a)).ToList();
        var charges = new LeaseCharges(parts, cover, options.PlatformFeePercent);
        var index = lease.Allocations.IndexOf(allocation);
        var part = parts[index];
        var hour = (usage.Interval.Start.ToDateTimeOffset() - part.Start).TotalHours;
        if (usage.AcceleratorSeconds == part.Units * 3600L && hour == Math.Floor(hour) && hour >= 0 && hour < part.Hours)
            return charges.OfHour(index, (int)hour);
        var single = part with { Units = 1, Start = usage.Interval.Start.ToDateTimeOffset(), Hours = 1,
            PricePerHour = part.PricePerHour * usage.AcceleratorSeconds / 3600m };
        return new LeaseCharges([single], cover, options.PlatformFeePercent).Total;
    }

    static LeasePart Part(Lease lease, LeaseAllocation a)
    {
        var window = a.Window ?? lease.Window;
        var start = window.Start.ToDateTimeOffset();
        var hours = (int)Math.Max(1, Math.Round((window.End.ToDateTimeOffset() - start).TotalHours));
        return new LeasePart(Math.Max(1, a.Units), start, hours, a.PricePerHour.ToDecimal(), a.RegionId, a.ProviderId);
    }
}
