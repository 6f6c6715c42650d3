using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Domain;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;

namespace Marketplace.Broker.Quoting;

// Quote plans as the contract shows them: every yuan itemised, per placement and in total.
public static class QuoteContract
{
    public static Quote ToProto(this QuotePlan plan, string id, string tenantId, int rank, Timestamp expiresAt)
    {
        var currency = plan.Parts[0].Capacity.Offer.PricePerHour.Currency;
        var quote = new Quote
        {
            Id = id,
            TenantId = tenantId,
            Window = Window(plan.Start, plan.End),
            Breakdown = Breakdown(currency, plan.Compute, plan.Transfer, plan.LatencyPenalty, plan.VoucherSubsidy,
                plan.Total, plan.EnergyKwh, plan.GreenPowerShare, plan.Co2Kg),
            ExpiresAt = expiresAt,
            State = QuoteState.Open,
            Rank = rank,
        };
        foreach (var part in plan.Parts)
            quote.Placements.Add(new Placement
            {
                OfferId = part.OfferId,
                DatacenterId = part.DatacenterId,
                ProviderId = part.Capacity.Offer.ProviderId,
                RegionId = part.Capacity.Datacenter.RegionId,
                HubId = part.Capacity.Datacenter.HubId,
                AcceleratorModel = part.Model.Model,
                Units = part.Units,
                Window = Window(part.Start, part.End),
                PricePerHour = part.Capacity.Offer.PricePerHour,
                TransferHours = part.TransferHours,
                RttMs = part.RttMs ?? 0,
                Reliability = Domain.SiteReliability.Of(part.Capacity.Datacenter),
                Breakdown = Breakdown(currency, part.Compute, part.Transfer, part.LatencyPenalty, part.VoucherSubsidy,
                    part.Total, part.EnergyKwh, part.Capacity.Datacenter.GreenPowerShare, part.Co2Kg),
            });
        return quote;
    }

    public static V1.Exclusion ToProto(this Domain.Exclusion exclusion, string currency) => new()
    {
        DatacenterId = exclusion.DatacenterId,
        OfferId = exclusion.OfferId,
        Reason = exclusion.Reason,
        WouldCost = Money.FromDecimal(exclusion.WouldCost, currency),
    };

    static PriceBreakdown Breakdown(string currency, decimal compute, decimal transfer, decimal latency,
        decimal voucher, decimal total, double energy, double green, double co2) => new()
    {
        Compute = Money.FromDecimal(compute, currency),
        Transfer = Money.FromDecimal(transfer, currency),
        LatencyPenalty = Money.FromDecimal(latency, currency),
        VoucherSubsidy = Money.FromDecimal(voucher, currency),
        Total = Money.FromDecimal(total, currency),
        TenantDue = Money.FromDecimal(compute - voucher, currency),
        EnergyKwh = Math.Round(energy, 3),
        GreenPowerShare = Math.Round(green, 4),
        Co2Kg = Math.Round(co2, 3),
    };

    static TimeWindow Window(DateTimeOffset start, DateTimeOffset end) => new()
    {
        Start = Timestamp.FromDateTimeOffset(start),
        End = Timestamp.FromDateTimeOffset(end),
    };
}
