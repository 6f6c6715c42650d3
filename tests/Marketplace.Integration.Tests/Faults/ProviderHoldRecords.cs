using StackExchange.Redis;

namespace Marketplace.Integration.Tests.Faults;

// The provider's own record of every hold on an offer, read from Redis as calendar.lua keeps it
// ("state|units|first|last|expires_ms|lease_id|created_ms|metered_until|idem_key"): what was really taken.
sealed record ProviderHoldRecord(string HoldId, string State, int Units, long FirstSlot, long LastSlot, string LeaseId)
{
    public static async Task<IReadOnlyList<ProviderHoldRecord>> ForOfferAsync(IDatabase providerStore, string offerId)
    {
        var entries = await providerStore.HashGetAllAsync($"provider:{{o:{offerId}}}:holds");
        return entries.Select(e =>
        {
            var f = ((string)e.Value!).Split('|');
            return new ProviderHoldRecord(e.Name!, f[0], int.Parse(f[1]), long.Parse(f[2]), long.Parse(f[3]), f[5]);
        }).ToList();
    }
}
