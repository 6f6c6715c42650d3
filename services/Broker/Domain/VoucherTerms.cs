namespace Marketplace.Broker.Domain;

// What a tenant's compute voucher will pay, as the broker estimates it for a quote.
public sealed record VoucherTerms(
    string VoucherId,
    int TenantCopayPercent,              // the share the tenant still pays
    decimal Remaining,                   // what the voucher (within cap and the program's budget) can still pay
    DateTimeOffset ExpiresAt,
    IReadOnlySet<string> EligibleRegionIds,
    IReadOnlySet<string> EligibleProviderIds)
{
    public bool Covers(string regionId, string providerId, DateTimeOffset start) =>
        start < ExpiresAt
        && (EligibleRegionIds.Count == 0 || EligibleRegionIds.Contains(regionId))
        && (EligibleProviderIds.Count == 0 || EligibleProviderIds.Contains(providerId));

    // The voucher's expected share of a compute cost, never beyond what remains.
    public decimal Subsidy(decimal compute, decimal alreadyUsed) =>
        Math.Max(0, Math.Min(Remaining - alreadyUsed, Math.Round(compute * (100 - TenantCopayPercent) / 100m, 2)));
}
