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
        var leaseParts = new LeasePart[parts.Count];
        for (var i = 0; i < parts.Count; i++)
            leaseParts[i] = parts[i].AsLeasePart();
        var charges = new LeaseCharges(leaseParts, voucher);
        var movedTo = parts.Count > 1 ? new HashSet<string>() : null;
        var priced = new SiteOption[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            var charge = charges.OfPart(i);
            priced[i] = parts[i] with
            {
                Compute = Fen.ToYuan(charge.AmountFen),
                VoucherSubsidy = Fen.ToYuan(charge.VoucherFen),
                Transfer = movedTo is null || movedTo.Add(parts[i].DatacenterId) ? parts[i].Transfer : 0,
            };
        }
        return new QuotePlan(priced);
    }

    // Read many times while options are ranked and shown: summed once.
    public decimal TenantDue => Compute - VoucherSubsidy;
    public decimal Compute { get; } = Sum(Parts, p => p.Compute);
    public decimal Transfer { get; } = Sum(Parts, p => p.Transfer);
    public decimal LatencyPenalty { get; } = Sum(Parts, p => p.LatencyPenalty);
    public decimal VoucherSubsidy { get; } = Sum(Parts, p => p.VoucherSubsidy);
    public decimal Total { get; } = Sum(Parts, p => p.Total);
    public double EnergyKwh { get; } = Sum(Parts, p => p.EnergyKwh);
    public double Co2Kg { get; } = Sum(Parts, p => p.Co2Kg);
    public DateTimeOffset Start { get; } = Earliest(Parts);
    public DateTimeOffset End { get; } = Latest(Parts);
    public bool IsSplit => Parts.Count > 1;

    // Energy-weighted share of green power across the parts.
    public double GreenPowerShare => EnergyKwh == 0
        ? 0
        : Sum(Parts, p => p.EnergyKwh * p.Capacity.Datacenter.GreenPowerShare) / EnergyKwh;

    static T Sum<T>(IReadOnlyList<SiteOption> parts, Func<SiteOption, T> of) where T : System.Numerics.INumber<T>
    {
        var sum = T.Zero;
        for (var i = 0; i < parts.Count; i++)
            sum += of(parts[i]);
        return sum;
    }

    static DateTimeOffset Earliest(IReadOnlyList<SiteOption> parts)
    {
        var earliest = parts[0].Start;
        for (var i = 1; i < parts.Count; i++)
            if (parts[i].Start < earliest)
                earliest = parts[i].Start;
        return earliest;
    }

    static DateTimeOffset Latest(IReadOnlyList<SiteOption> parts)
    {
        var latest = parts[0].End;
        for (var i = 1; i < parts.Count; i++)
            if (parts[i].End > latest)
                latest = parts[i].End;
        return latest;
    }
}

// Why a site the tenant might have expected was not offered.
public sealed record Exclusion(string DatacenterId, string OfferId, string Reason, decimal WouldCost);

public sealed record QuoteResult(IReadOnlyList<QuotePlan> Options, IReadOnlyList<Exclusion> Exclusions);
