namespace Marketplace.Broker.Domain;

// A quotable answer: one site, or a split across a few when no single site can take the work.
public sealed record QuotePlan(IReadOnlyList<SiteOption> Parts)
{
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
