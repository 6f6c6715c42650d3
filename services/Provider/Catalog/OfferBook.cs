using Google.Protobuf.WellKnownTypes;
using Marketplace.Events.V1;
using Marketplace.Provider.Domain;
using Marketplace.Provider.Storage;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;
using MassTransit;

namespace Marketplace.Provider.Catalog;

// Offers of accelerator-hours at a provider's own data centers.
public sealed class OfferBook(OfferStore store, DataCenterRegistry datacenters, CapacityAnnouncer announcer,
    MarketReference reference, TimeProvider clock)
{
    public async Task<Offer> PublishAsync(Offer request, string idempotencyKey, CancellationToken ct)
    {
        OfferRules.Validate(request, reference);
        var datacenter = await datacenters.GetAsync(request.DatacenterId, ct);
        if (request.ProviderId.Length > 0 && request.ProviderId != datacenter.ProviderId)
            throw new ForbiddenException(
                $"data center '{datacenter.Id}' belongs to provider '{datacenter.ProviderId}', not '{request.ProviderId}'");

        var offer = request.Clone();
        offer.ProviderId = datacenter.ProviderId;
        if (offer.Id.Length == 0)
            offer.Id = $"{datacenter.Id}-{offer.AcceleratorModel.ToLowerInvariant()}-{NewId.NextGuid():N}"[..^24];

        if (idempotencyKey.Length > 0 && await store.ClaimPublishKeyAsync(idempotencyKey, offer.Id) is { } earlierId)
            return await SameRequestOrThrow(earlierId, offer, "idempotency_key", ct);

        var now = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        offer.State = OfferState.Active;
        offer.Version = 1;
        offer.CreatedAt = now;
        offer.UpdatedAt = now;
        if (!await store.TryAddAsync(offer))
            return await SameRequestOrThrow(offer.Id, offer, "offer.id", ct);

        await announcer.AnnounceAsync(offer, CapacityChangeReason.Published, ct);
        return offer;
    }

    public async Task<Offer> GetAsync(string id, CancellationToken ct) =>
        await store.GetAsync(id) ?? throw new NotFoundException("offer", id);

    public async Task<CatalogSnapshot> SnapshotAsync(CancellationToken ct)
    {
        var snapshot = new CatalogSnapshot { TakenAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) };
        foreach (var offer in (await store.ListAsync()).Where(o => o.State == OfferState.Active).OrderBy(o => o.Id))
            snapshot.Offers.Add(await announcer.DescribeAsync(offer, ct));
        return snapshot;
    }

    // A replayed publish returns the first answer; the same key or id for a different offer is an error.
    async Task<Offer> SameRequestOrThrow(string existingId, Offer request, string field, CancellationToken ct)
    {
        var existing = await GetAsync(existingId, ct);
        var same = existing.DatacenterId == request.DatacenterId
                   && existing.AcceleratorModel == request.AcceleratorModel
                   && existing.Count == request.Count
                   && existing.PricePerHour.Equals(request.PricePerHour)
                   && existing.Availability.Equals(request.Availability)
                   && existing.MinLeaseHours == request.MinLeaseHours
                   && existing.InterconnectDomain == request.InterconnectDomain
                   && existing.Interruptible == request.Interruptible;
        if (!same)
            throw new ConflictException($"{field} '{existingId}' was already used for a different offer");
        return existing;
    }
}
