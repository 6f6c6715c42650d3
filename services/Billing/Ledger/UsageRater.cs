using Marketplace.Billing.Domain;
using Marketplace.Billing.Storage;
using Marketplace.Events.V1;
using Marketplace.ServiceDefaults.Bus;

namespace Marketplace.Billing.Ledger;

// Rates a usage record at its lease's price and posts it once: tenant (less its voucher), provider
// payable, platform fee and voucher fund, summing to zero.
public sealed class UsageRater(LeaseBook leases, ParkedUsage parked, VoucherStore vouchers, LedgerStore ledger,
    BillingOptions options, TimeProvider clock, ILogger<UsageRater> logger)
{
    public enum Outcome { Applied, Duplicate, Parked }

    public async Task<Outcome> PostAsync(UsageRecorded usage, CancellationToken ct)
    {
        if (usage.AcceleratorSeconds <= 0)
            throw PoisonMessageException.Counted("negative quantity", $"usage {usage.EventId} has {usage.AcceleratorSeconds} accelerator-seconds");
        if (usage.Interval?.Start is null)
            throw PoisonMessageException.Counted("no interval", $"usage {usage.EventId} has no interval");
        var lease = await leases.GetAsync(usage.LeaseId);
        if (lease is null)
        {
            // Its LeaseCreated is on its way: park the usage; the lease's arrival applies it.
            if (await parked.ParkAsync(usage, clock.GetUtcNow().ToUnixTimeMilliseconds()))
            {
                logger.LogInformation("Usage {EventId} parked until lease {LeaseId} is heard of", usage.EventId, usage.LeaseId);
                return Outcome.Parked;
            }
            lease = await leases.GetAsync(usage.LeaseId) ?? throw new InvalidOperationException($"lease {usage.LeaseId} vanished");
        }
        var allocation = lease.Allocations.FirstOrDefault(a => a.HoldId == usage.HoldId)
                         ?? throw PoisonMessageException.Counted("unknown allocation", $"lease {lease.Id} has no hold {usage.HoldId}");
        var currency = allocation.PricePerHour.Currency;
        if (!options.Currencies.Contains(currency))
            throw PoisonMessageException.Counted("unknown currency", $"lease {lease.Id} is priced in '{currency}'");

        var amount = Rating.AmountFen(usage.AcceleratorSeconds, allocation.PricePerHour.ToDecimal());
        var (programId, share) = await VoucherShare(lease.VoucherId, lease.TenantId, allocation, usage, amount);
        var posting = new PostingRecord($"post:{usage.EventId}", usage.EventId, lease.Id, lease.TenantId,
            allocation.ProviderId, allocation.DatacenterId, allocation.HubId, allocation.RegionId,
            allocation.AcceleratorModel, lease.VoucherId, programId, currency, amount,
            Rating.FeeFen(amount, options.PlatformFeePercent), 0, usage.AcceleratorSeconds, usage.EnergyKwh,
            usage.Interval.Start.ToDateTimeOffset().ToUnixTimeMilliseconds(), clock.GetUtcNow().ToUnixTimeMilliseconds());

        var (applied, subsidy) = await ledger.PostAsync(posting, share);
        if (!applied)
            logger.LogDebug("Usage {EventId} was applied before; skipped", usage.EventId);
        else if (share > subsidy)
            logger.LogInformation("Voucher {VoucherId} paid {Paid} of {Share} fen for {EventId}: its cap or budget ran out",
                lease.VoucherId, subsidy, share, usage.EventId);
        return applied ? Outcome.Applied : Outcome.Duplicate;
    }

    // The voucher's share when it covers this usage: its program's co-pay, regions, providers, expiry.
    async Task<(string ProgramId, long ShareFen)> VoucherShare(string voucherId, string tenantId,
        Broker.V1.LeaseAllocation allocation, UsageRecorded usage, long amount)
    {
        if (voucherId.Length == 0 || await vouchers.VoucherAsync(voucherId) is not { } voucher || voucher.TenantId != tenantId)
            return ("", 0);
        var program = await vouchers.ProgramAsync(voucher.ProgramId);
        var at = usage.Interval.Start.ToDateTimeOffset();
        var eligible = program is not null
                       && at < voucher.ExpiresAt.ToDateTimeOffset() && at < program.ExpiresAt.ToDateTimeOffset()
                       && (program.EligibleRegionIds.Count == 0 || program.EligibleRegionIds.Contains(allocation.RegionId))
                       && (program.EligibleProviderIds.Count == 0 || program.EligibleProviderIds.Contains(allocation.ProviderId));
        return eligible ? (program!.Id, Rating.VoucherShareFen(amount, program.TenantCopayPercent)) : ("", 0);
    }
}
