using Google.Protobuf.WellKnownTypes;
using Marketplace.Provider.Domain;
using Marketplace.Provider.Storage;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Provider.Catalog;

// Registers and updates the sites providers sell from.
public sealed class DataCenterDesk(DataCenterStore store, MarketReference reference, TimeProvider clock)
{
    // Registering the same site twice is a no-op; the same id with other figures is a conflict.
    public async Task<DataCenter> RegisterAsync(DataCenter datacenter, CancellationToken ct)
    {
        DataCenterRules.Validate(datacenter, reference);
        var now = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        var candidate = datacenter.Clone();
        candidate.CreatedAt = now;
        candidate.UpdatedAt = now;
        if (await store.TryAddAsync(candidate))
            return candidate;

        var existing = await GetAsync(datacenter.Id, ct);
        if (!SameFigures(existing, datacenter))
            throw new ConflictException($"data center '{datacenter.Id}' exists with other figures; use UpdateDataCenter");
        return existing;
    }

    public async Task<DataCenter> UpdateAsync(DataCenter datacenter, CancellationToken ct)
    {
        DataCenterRules.Validate(datacenter, reference);
        var existing = await GetAsync(datacenter.Id, ct);
        if (datacenter.ProviderId != existing.ProviderId)
            throw new ForbiddenException($"data center '{datacenter.Id}' belongs to provider '{existing.ProviderId}'");
        var updated = datacenter.Clone();
        updated.CreatedAt = existing.CreatedAt;
        updated.UpdatedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        await store.ReplaceAsync(updated);
        return updated;
    }

    public async Task<DataCenter> GetAsync(string id, CancellationToken ct)
    {
        Require.Id(id, "datacenter_id");
        return await store.GetAsync(id, ct) ?? throw new NotFoundException("data center", id);
    }

    public async Task<IReadOnlyList<DataCenter>> ListAsync(string providerId, string hubId, CancellationToken ct) =>
        (await store.ListAsync(ct))
            .Where(dc => providerId.Length == 0 || dc.ProviderId == providerId)
            .Where(dc => hubId.Length == 0 || dc.HubId == hubId)
            .OrderBy(dc => dc.Id, StringComparer.Ordinal)
            .ToList();

    static bool SameFigures(DataCenter a, DataCenter b)
    {
        var (x, y) = (a.Clone(), b.Clone());
        x.CreatedAt = y.CreatedAt = null;
        x.UpdatedAt = y.UpdatedAt = null;
        return x.Equals(y);
    }
}
