using System.Collections.Concurrent;
using Marketplace.Billing.Storage;
using Marketplace.Broker.V1;
using Marketplace.Pricing;

namespace Marketplace.Billing.Ledger;

// What usage is rated at: its lease, and the voucher terms its tenant has. Both are written once and never
// change (a voucher's cap and spend live beside it, where ledger.lua reads them), so each is read from
// Redis once per process rather than once per event. Only what was found is kept: a lease not heard of
// yet is looked up again next time.
public sealed class UsageTerms(LeaseStore leases, VoucherStore vouchers)
{
    // Far more leases than are metered at once; beyond it the cache starts again rather than growing.
    const int Capacity = 20_000;

    readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Voucher> _vouchers = new(StringComparer.Ordinal);

    public sealed record Voucher(string TenantId, string ProgramId, VoucherCover Cover);

    public async Task<Lease?> LeaseAsync(string id)
    {
        if (_leases.TryGetValue(id, out var known))
            return known;
        var lease = await leases.GetAsync(id);
        if (lease is not null)
            Keep(_leases, id, lease);
        return lease;
    }

    // The tenant's voucher as its program defines it; none when it is unknown or another tenant's.
    public async Task<(string ProgramId, VoucherCover? Cover)> VoucherCoverAsync(string voucherId, string tenantId)
    {
        if (voucherId.Length == 0)
            return ("", null);
        if (!_vouchers.TryGetValue(voucherId, out var terms))
        {
            if (await vouchers.VoucherAsync(voucherId) is not { } voucher || await vouchers.ProgramAsync(voucher.ProgramId) is not { } program)
                return ("", null);
            terms = new Voucher(voucher.TenantId, program.Id, VoucherCover.Of(program.TenantCopayPercent,
                voucher.ExpiresAt?.ToDateTimeOffset(), program.ExpiresAt?.ToDateTimeOffset(), program.EligibleRegionIds.ToHashSet(),
                program.EligibleProviderIds.ToHashSet()));
            Keep(_vouchers, voucherId, terms);
        }
        return terms.TenantId == tenantId ? (terms.ProgramId, terms.Cover) : ("", null);
    }

    static void Keep<T>(ConcurrentDictionary<string, T> cache, string key, T value)
    {
        if (cache.Count >= Capacity)
            cache.Clear();
        cache[key] = value;
    }
}
