namespace Marketplace.Pricing;

// What a compute voucher pays: all but the tenant's co-pay of every hour it covers. It covers an hour
// that starts before the voucher and its program expire, at a site in the program's regions (empty:
// any) of one of its providers (empty: any). `RemainingFen` is what the voucher's cap and its program's
// budget still allow; null leaves the limit to the ledger, which applies it atomically as it spends.
public sealed record VoucherCover(
    int TenantCopayPercent,
    DateTimeOffset ExpiresAt,
    IReadOnlySet<string> RegionIds,
    IReadOnlySet<string> ProviderIds,
    long? RemainingFen = null)
{
    // A voucher ends when it or its program does; unset: never.
    public static VoucherCover Of(int tenantCopayPercent, DateTimeOffset? voucherExpires, DateTimeOffset? programExpires,
        IReadOnlySet<string> regionIds, IReadOnlySet<string> providerIds, long? remainingFen = null) =>
        new(tenantCopayPercent, Min(voucherExpires ?? DateTimeOffset.MaxValue, programExpires ?? DateTimeOffset.MaxValue),
            regionIds, providerIds, remainingFen);

    static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public decimal SharePercent => 100 - TenantCopayPercent;

    public bool CoversSite(string regionId, string providerId) =>
        (RegionIds.Count == 0 || RegionIds.Contains(regionId)) && (ProviderIds.Count == 0 || ProviderIds.Contains(providerId));

    public bool CoversHour(LeasePart part, DateTimeOffset hourStart) =>
        hourStart < ExpiresAt && CoversSite(part.RegionId, part.ProviderId);

    // How many of the part's first `hours` hours it covers: expiry cuts a part's covered hours to a prefix.
    public int CoveredHours(LeasePart part, int hours)
    {
        if (!CoversSite(part.RegionId, part.ProviderId))
            return 0;
        var beforeExpiry = (long)Math.Ceiling((ExpiresAt - part.Start).TotalHours);
        return (int)Math.Clamp(beforeExpiry, 0, hours);
    }
}
