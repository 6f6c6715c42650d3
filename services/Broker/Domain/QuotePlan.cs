using Marketplace.Pricing;

namespace Marketplace.Broker.Domain;

// A quotable answer: one offer, or a split across a few when no single offer can take the work.
public sealed record QuotePlan(IReadOnlyList<SiteOption> Parts)
{
    // The parts with money as the invoice will have it: compute rounded to the fen hour by hour by the
    // market's one rule (LeaseCharges), the voucher spent once across all of them. The data is moved to
    // a data center once, so only its first part carries the transfer (the others still wait for it).
    public static QuotePlan Priced(IReadOnlyList<SiteOption> parts, VoucherCover? voucher)
    {
        var charges = new LeaseCharges(parts.Select(p => p.AsLeasePart()).ToList(), voucher);
        var movedTo = new HashSet<string>();
        var priced = new List<SiteOption>();
        for (var i = 0; i < parts.Count; i++)
        {
            var charge = charges.OfPart(i);
            priced.Add(parts[i] with
            {
                Compute = Fen.ToYuan(charge.AmountFen),
                VoucherSubsidy = Fen.ToYuan(charge.VoucherFen),
                Transfer = movedTo.Add(parts[i].DatacenterId) ? parts[i].Transfer : 0,
            });
        }
        return new QuotePlan(priced);
    }

    public decimal TenantDue => Compute - VoucherSubsidy;
    public decimal Compute => Parts.Sum(p => p.Compute);
    public decimal Transfer => Parts.Sum(p => p.Transfer);
    public decimal LatencyPenalty => Parts.Sum(p => p.LatencyPenalty);
    public decimal VoucherSubsidy => Parts.Sum(p => p.VoucherSubsidy);
    public decimal Total => Parts.Sum(p => p.Total);
    public double EnergyKwh => Parts.Sum(p => p.EnergyKwh);
    public double Co2Kg => Parts.Sum(p => p.Co2Kg);
    public DateTimeOffset Start => Parts.Min(p => p.Start);
    public DateTimeOffset End => Parts.Max(p => p.End);
    public bool IsSplit => Parts.Count > 1;

    // Energy-weighted share of green power across the parts.
    public double GreenPowerShare => EnergyKwh == 0
        ? 0
        : Parts.Sum(p => p.EnergyKwh * p.Capacity.Datacenter.GreenPowerShare) / EnergyKwh;
}

// Why a site the tenant might have expected was not offered.
public sealed record Exclusion(string DatacenterId, string OfferId, string Reason, decimal WouldCost);

public sealed record QuoteResult(IReadOnlyList<QuotePlan> Options, IReadOnlyList<Exclusion> Exclusions);
