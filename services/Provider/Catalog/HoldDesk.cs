using Google.Protobuf.WellKnownTypes;
using Marketplace.Events.V1;
using Marketplace.Provider.Domain;
using Marketplace.Provider.Storage;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Provider.Catalog;

// Holds on capacity: take units in every slot of a window or nothing (confirmed into a lease at once when
// the request names one), confirm into a lease, give back.
public sealed class HoldDesk(OfferDesk offers, CalendarStore calendar, CapacityAnnouncements capacity, TimeProvider clock)
{
    public async Task<Hold> HoldAsync(HoldCapacityRequest request, CancellationToken ct)
    {
        var (window, ttl) = HoldRules.Validate(request);
        var offer = await offers.GetAsync(request.OfferId, ct);
        if (offer.State != OfferState.Active)
            throw new PreconditionException($"offer '{offer.Id}' is withdrawn");
        var availability = HourWindow.From(offer.Availability, "offer.availability", OfferRules.MaxWindow);
        if (window.Start < availability.Start || window.End > availability.End)
            throw new InvalidFieldException("window", $"must lie within the offer's availability {availability.Start:u} .. {availability.End:u}");
        if (window.Hours < offer.MinLeaseHours)
            throw new InvalidFieldException("window", $"is {window.Hours} h; the offer's minimum lease is {offer.MinLeaseHours} h");
        var now = clock.GetUtcNow();
        if (window.Start < Slots.Start(Slots.Of(now)))
            throw new InvalidFieldException("window.start", "is in the past");

        var leaseId = request.LeaseId;
        if (leaseId.Length > 0)
        {
            Require.Key(leaseId, "lease_id");
            Require.NotBlank(leaseId, "lease_id");
        }

        // A TTL is wall-clock time, the caller's round trip, however fast the market clock runs.
        var marketTtl = clock is MarketClock market ? ttl * market.Speed : ttl;
        var (first, last) = Slots.Of(window);
        var id = request.IdempotencyKey.Length > 0 ? HoldIds.For(offer.Id, request.IdempotencyKey) : HoldIds.New(offer.Id);
        var reply = await calendar.HoldAsync(offer.Id, id, request.Units, first, last,
            (now + marketTtl).ToUnixTimeMilliseconds(), request.IdempotencyKey,
            HoldIds.Fingerprint(offer.Id, request.Units, first, last, ttl, leaseId), leaseId, now.ToUnixTimeMilliseconds());
        return reply.Status switch
        {
            "exhausted" => throw new ExhaustedException($"offer '{offer.Id}' cannot hold {request.Units} units: {reply.Detail}"),
            "idem-conflict" => throw new InvalidFieldException("idempotency_key",
                $"was used for a different request (hold '{reply.HoldId}')"),
            "gone" => throw new ConflictException($"hold '{id}' was given back before it was taken; its key cannot hold again"),
            _ => Announced(reply, leaseId.Length > 0 ? CapacityChangeReason.Confirmed : CapacityChangeReason.Held),
        };
    }

    public async Task<Hold> ConfirmAsync(string holdId, string leaseId, CancellationToken ct)
    {
        Require.Key(leaseId, "lease_id");
        Require.NotBlank(leaseId, "lease_id");
        var offerId = HoldIds.OfferOf(holdId);
        var reply = await calendar.ConfirmAsync(offerId, holdId, leaseId, Now());
        return Checked(reply, holdId, CapacityChangeReason.Confirmed);
    }

    // `keepBefore`: a confirmed hold keeps its hours before then as well as those begun.
    public async Task<Hold> ReleaseAsync(string holdId, bool discard, CancellationToken ct, DateTimeOffset? keepBefore = null)
    {
        var offerId = HoldIds.OfferOf(holdId);
        var reply = await calendar.ReleaseAsync(offerId, holdId, Slots.Of(clock.GetUtcNow()), discard, Now(),
            keepBefore is { } t ? Slots.Of(t) : 0);
        return Checked(reply, holdId, CapacityChangeReason.Released);
    }

    public async Task<Hold> GetAsync(string holdId, CancellationToken ct)
    {
        var reply = await calendar.GetAsync(HoldIds.OfferOf(holdId), holdId, Now());
        return reply.Ok ? ToProto(reply.HoldId, reply.Hold!) : throw new NotFoundException("hold", holdId);
    }

    Hold Checked(CalendarReply reply, string holdId, CapacityChangeReason reason) =>
        reply.Status switch
        {
            "not-found" => throw new NotFoundException("hold", holdId),
            "state" => throw new PreconditionException($"hold '{holdId}' is {reply.Detail.ToLowerInvariant()}"),
            _ => Announced(reply, reason),
        };

    Hold Announced(CalendarReply reply, CapacityChangeReason reason)
    {
        capacity.Announce(HoldIds.OfferOf(reply.HoldId), reason);
        return ToProto(reply.HoldId, reply.Hold!);
    }

    long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public static Hold ToProto(string id, HoldRecord h) => new()
    {
        Id = id,
        OfferId = HoldIds.OfferOf(id),
        Units = h.Units,
        Window = new HourWindow(Slots.Start(h.First), Slots.Start(Math.Max(h.Last, h.First - 1) + 1)).ToProto(),
        State = h.State switch
        {
            "HELD" => HoldState.Held,
            "CONFIRMED" => HoldState.Confirmed,
            "RELEASED" => HoldState.Released,
            "EXPIRED" => HoldState.Expired,
            _ => HoldState.Unspecified,
        },
        ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(h.ExpiresMs)),
        IdempotencyKey = h.IdempotencyKey,
        LeaseId = h.LeaseId,
        CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(h.CreatedMs)),
    };
}
