using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Provider.Domain;
using Marketplace.Provider.Storage;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;
using MassTransit;

namespace Marketplace.Provider.Catalog;

// Offers of accelerator-hours at a provider's own data centers, and their capacity calendars.
public sealed class OfferDesk(OfferStore store, CalendarStore calendar, DataCenterDesk datacenters,
    CapacityPublisher capacity, MarketReference reference, TimeProvider clock)
{
    public async Task<Offer> PublishAsync(Offer request, string idempotencyKey, CancellationToken ct)
    {
        OfferRules.Validate(request, reference);
        Require.Key(idempotencyKey, "idempotency_key");
        var datacenter = await datacenters.GetAsync(request.DatacenterId, ct);
        if (request.ProviderId.Length > 0 && request.ProviderId != datacenter.ProviderId)
            throw new ForbiddenException(
                $"data center '{datacenter.Id}' belongs to provider '{datacenter.ProviderId}', not '{request.ProviderId}'");

        var offer = request.Clone();
        offer.ProviderId = datacenter.ProviderId;
        if (offer.Id.Length == 0)
            offer.Id = $"{datacenter.Id}-{offer.AcceleratorModel.ToLowerInvariant()}-{Guid.NewGuid():N}"[..^20];

        if (idempotencyKey.Length > 0 && await store.ClaimPublishKeyAsync(idempotencyKey, offer.Id) is { } earlierId)
            return await SameRequestOrThrow(earlierId, offer, "idempotency_key", ct);

        var now = clock.GetUtcNow();
        offer.State = OfferState.Active;
        offer.CreatedAt = offer.UpdatedAt = Timestamp.FromDateTimeOffset(now);
        var (first, last) = Slots.Of(HourWindow.From(offer.Availability, "offer.availability", OfferRules.MaxWindow));
        var version = await calendar.InitAsync(offer.Id, offer.ToByteArray(), first, last, offer.Count,
            now.ToUnixTimeMilliseconds());
        await store.IndexAsync(offer.Id);
        if (version is null)
            return await SameRequestOrThrow(offer.Id, offer, "offer.id", ct);

        offer.Version = version.Value;
        await capacity.AnnounceAsync(offer.Id, CapacityChangeReason.Published, ct);
        return offer;
    }

    public async Task<Offer> GetAsync(string id, CancellationToken ct)
    {
        Require.Id(id, "offer_id");
        return await store.GetAsync(id, ct) ?? throw new NotFoundException("offer", id);
    }

    // New count, price and/or reserve. Shrinking takes only free capacity; held and leased units stay. A
    // reserve left at or above a lowered price is dropped: the posted price is the ask again.
    public async Task<(Offer Offer, int Removed)> ChangeAsync(string offerId, int? count, Money? price, Money? reserve,
        CancellationToken ct)
    {
        var offer = await GetAsync(offerId, ct);
        if (offer.State != OfferState.Active)
            throw new PreconditionException($"offer '{offerId}' is withdrawn");
        if (count is null && price is null && reserve is null)
            throw new InvalidFieldException("count", "give a new count, price_per_hour or reserve_price_per_hour");
        if (count is { } c && c is <= 0 or > OfferRules.MaxCount)
            throw new InvalidFieldException("count", $"must be within 1..{OfferRules.MaxCount}");
        if (price is not null)
        {
            Require.PositiveMoney(price, "price_per_hour");
            if (price.Currency != offer.PricePerHour.Currency)
                throw new InvalidFieldException("price_per_hour.currency", $"must stay {offer.PricePerHour.Currency}");
            offer.PricePerHour = price;
        }
        if (reserve is not null)
        {
            OfferRules.ValidateReserve(reserve, offer.PricePerHour, "reserve_price_per_hour");
            offer.ReservePricePerHour = reserve;
        }
        if (offer.ReservePricePerHour is { } kept && kept.ToDecimal() >= offer.PricePerHour.ToDecimal())
            offer.ReservePricePerHour = null;
        offer.Count = count ?? offer.Count;
        return await Save(offer, offer.Count, CapacityChangeReason.Changed, ct);
    }

    public async Task<(Offer Offer, int Removed)> WithdrawAsync(string offerId, CancellationToken ct)
    {
        var offer = await GetAsync(offerId, ct);
        if (offer.State == OfferState.Withdrawn)
            return (offer, 0);
        offer.State = OfferState.Withdrawn;
        return await Save(offer, 0, CapacityChangeReason.Withdrawn, ct);
    }

    public async Task<CapacityCalendar> CalendarAsync(string offerId, TimeWindow? window, CancellationToken ct)
    {
        var offer = await GetAsync(offerId, ct);
        var hours = HourWindow.From(window ?? offer.Availability, "window", OfferRules.MaxWindow);
        var (first, _) = Slots.Of(hours);
        var (version, slots) = await calendar.SlotsAsync(offerId, first, first + hours.Hours - 1,
            clock.GetUtcNow().ToUnixTimeMilliseconds());
        var reply = new CapacityCalendar { OfferId = offerId, Version = version };
        reply.Slots.AddRange(slots.Select((s, i) => new CapacitySlot
        {
            Start = Timestamp.FromDateTimeOffset(Slots.Start(first + i)),
            Published = s.Published,
            Held = s.Held,
            Leased = s.Leased,
            Free = s.Published - s.Held - s.Leased,
        }));
        return reply;
    }

    public async Task<CatalogSnapshot> SnapshotAsync(CancellationToken ct)
    {
        var snapshot = new CatalogSnapshot { TakenAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) };
        var active = (await store.ListAsync()).Where(o => o.State == OfferState.Active).OrderBy(o => o.Id);
        // Each site's reliability read once, not once per offer.
        var sites = (await Task.WhenAll((await datacenters.ListAsync("", "", ct)).Select(capacity.WithReliabilityAsync))).ToDictionary(d => d.Id);
        // All at once: the multiplexer pipelines them, where one offer after another paid a round trip each.
        snapshot.Offers.AddRange(await Task.WhenAll(active.Select(offer => sites.TryGetValue(offer.DatacenterId, out var site)
            ? capacity.DescribeAsync(offer, site, ct)
            : capacity.DescribeAsync(offer, ct))));
        return snapshot;
    }

    async Task<(Offer, int)> Save(Offer offer, int count, CapacityChangeReason reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        offer.UpdatedAt = Timestamp.FromDateTimeOffset(now);
        var (version, removed) = await calendar.ResizeAsync(offer.Id, offer.ToByteArray(), count, now.ToUnixTimeMilliseconds());
        offer.Version = version;
        await capacity.AnnounceAsync(offer.Id, reason, ct);
        return (offer, removed);
    }

    // A replayed publish returns the first answer; the same key or id for a different offer is an error.
    async Task<Offer> SameRequestOrThrow(string existingId, Offer request, string field, CancellationToken ct)
    {
        var existing = await GetAsync(existingId, ct);
        var same = existing.DatacenterId == request.DatacenterId
                   && existing.AcceleratorModel == request.AcceleratorModel
                   && existing.Count == request.Count
                   && existing.PricePerHour.Equals(request.PricePerHour)
                   && Equals(existing.ReservePricePerHour, request.ReservePricePerHour)
                   && existing.Availability.Equals(request.Availability)
                   && existing.MinLeaseHours == request.MinLeaseHours
                   && existing.InterconnectDomain == request.InterconnectDomain
                   && existing.Interruptible == request.Interruptible
                   && existing.SlaCreditPercent == request.SlaCreditPercent;
        if (!same)
            throw new ConflictException($"{field} '{existingId}' was already used for a different offer");
        return existing;
    }
}
