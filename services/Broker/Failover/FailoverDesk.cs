using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Catalog;
using Marketplace.Broker.Leasing;
using Marketplace.Broker.Quoting;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Broker.Failover;

// When a site goes down, every scheduled or active lease it hits has its hours not yet begun placed again
// by the lease's own request, through the accept protocol, as a new lease that carries them on; the old
// lease keeps the hours already delivered (billed at the old site) and ends where they end. If nothing
// can take them, the hours are dropped and the lease says why. Each step can run again: the chosen quote
// is kept under the move's key (one new lease, whatever crashes), a hold released twice is released once,
// and a lease that already records the move is left alone. A broker killed mid-move does it again when
// RabbitMQ gives it the OutageStarted again.
//
// An outage reported ahead of time (with notice) moves the hours from the hour it begins. On interruptible
// capacity that is a reclaim: the lease is told at once (LeasePreempted), and its hours are placed again
// only if its request asked for that; otherwise it ends at the reclaim. A call auction that sells
// interruptible capacity to a bid paying more reclaims it the same way (PreemptAsync).
public sealed class FailoverDesk(LeaseStore leases, QuoteDesk quotes, LeaseDesk desk, ProviderHolds holds, FailoverStore store,
    AcceptStore accepts, MoveLog log, OfferCatalog catalog, LeaseEvents events, OutboxRelay relay, BrokerOptions options,
    TimeProvider clock, ILogger<FailoverDesk> logger)
{
    // A quote whose capacity moved before the accept is asked for again, this often.
    const int Tries = 3;

    // How often "nothing fits" is asked again while accepts are in flight.
    static readonly TimeSpan PendingPoll = TimeSpan.FromMilliseconds(500);

    public async Task MoveLeasesAsync(Outage outage, CancellationToken ct)
    {
        await catalog.WhenLoadedAsync(ct); // whether capacity is interruptible, and where the hours can go
        var down = outage.OfferIds.ToHashSet();
        foreach (var id in await leases.LiveAsync())
        {
            var lease = await leases.GetAsync(id, ct);
            // A lease this outage already moved has no hours left there to hit: each allocation it moved ends at its move.
            if (lease is null || lease.State is not (LeaseState.Scheduled or LeaseState.Active))
                continue;
            var from = Max(WholeHours.Ceiling(clock.GetUtcNow()), WholeHours.Floor(outage.Start.ToDateTimeOffset()));
            var hit = lease.Allocations.Where(a => down.Contains(a.OfferId) && Hits(a, outage, from)).ToList();
            // Allocations that move over the same hours move together, as one new lease.
            var groups = hit.GroupBy(a => (Max(from, a.Window.Start.ToDateTimeOffset()), a.Window.End.ToDateTimeOffset())).ToList();
            for (var g = 0; g < groups.Count; g++)
            {
                var moved = groups[g].ToList();
                var (start, end) = groups[g].Key;
                var reclaim = outage.Start.ToDateTimeOffset() > clock.GetUtcNow() && moved.All(a => catalog.Find(a.OfferId)?.Offer.Interruptible == true);
                await MoveAsync(lease.Id, MoveCause.Of(outage, reclaim, start), moved, start, end, g.ToString(), down, ct);
            }
        }
    }

    // A call auction sold hours of this interruptible allocation to a bid that pays more: from `from` on (at
    // least the notice ahead) they leave the lease, which is told now; placed again only if it asked. Runs
    // again safely: an allocation already cut at `from` for this sale is left as it is.
    public async Task PreemptAsync(string leaseId, string holdId, DateTimeOffset from, string auctionId, string bidId, CancellationToken ct)
    {
        var lease = await leases.GetAsync(leaseId, ct);
        if (lease is null || lease.State is not (LeaseState.Scheduled or LeaseState.Active)
            || lease.Allocations.SingleOrDefault(a => a.HoldId == holdId) is not { } allocation
            || allocation.Window.End.ToDateTimeOffset() <= from)
            return;
        var cause = MoveCause.Sale(auctionId, bidId, allocation.DatacenterId, from);
        await MoveAsync(leaseId, cause, [allocation], Max(from, allocation.Window.Start.ToDateTimeOffset()), allocation.Window.End.ToDateTimeOffset(),
            holdId, new HashSet<string> { allocation.OfferId }, ct);
    }

    // The allocation has hours from `from` on that the outage takes (to its expected end, or for good).
    static bool Hits(LeaseAllocation a, Outage outage, DateTimeOffset from)
    {
        var start = Max(from, a.Window.Start.ToDateTimeOffset());
        return a.Window.End.ToDateTimeOffset() > start
               && (outage.ExpectedEnd is null || outage.ExpectedEnd.ToDateTimeOffset() > start);
    }

    async Task MoveAsync(string leaseId, MoveCause cause, List<LeaseAllocation> moved, DateTimeOffset from, DateTimeOffset end, string group,
        IReadOnlySet<string> down, CancellationToken ct)
    {
        var lease = (await leases.GetAsync(leaseId, ct))!;
        var (carrier, why) = !cause.Reclaim || lease.Request?.ReplaceIfPreempted == true
            ? await PlaceAgainAsync(lease, cause, moved, from, end, group, down, ct)
            : (null, cause.NotPlacedAgain);

        // The old site gives back the hours from `from`; those before (the hour under way, or every hour before a
        // reclaim) stay, billed unless the outage covers them.
        foreach (var allocation in moved)
            await holds.ReleaseAsync(allocation.HoldId, ct, keepBefore: from);

        var move = new LeaseMove
        {
            OutageId = cause.OutageId, AuctionId = cause.AuctionId, BidId = cause.BidId,
            From = Timestamp.FromDateTimeOffset(from), ToLeaseId = carrier?.Id ?? "",
            Reason = carrier is null
                ? $"{cause.What}; nothing took the hours from {from:u}: {why}"
                : $"{cause.What}; moved to {string.Join("+", carrier.Allocations.Select(a => a.DatacenterId).Distinct())}",
        };
        move.Allocations.AddRange(moved.Select(a => a.Clone()));
        if (carrier is not null)
            move.ExtraCost = ExtraCost(carrier, moved, from);
        while (true)
        {
            var before = lease.State;
            if (lease.Moves.Any(m => MoveCause.KeyOf(m) == cause.Key && m.From.Equals(move.From) && m.Allocations.Select(a => a.HoldId).SequenceEqual(move.Allocations.Select(a => a.HoldId))))
                return; // recorded by an earlier run of this move
            var after = Truncated(lease, moved, from, move, carrier is null ? move.Reason : "");
            var changes = new List<(string, IMessage)> { events.Moved(after, carrier, move, group) };
            if (cause.Reclaim)
                changes.Add(events.Preempted(after, cause, from));
            if (after.State == LeaseState.Cancelled)
                changes.Add(events.Cancelled(after, move.Reason));
            if (await leases.TransitionAsync(after, before, changes, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))
            {
                foreach (var (eventId, message) in changes)
                    await relay.SendNowAsync(eventId, message);
                await log.AddAsync(new LeaseMoveRecord
                {
                    LeaseId = lease.Id, TenantId = lease.TenantId, Move = move, Preempted = cause.Reclaim,
                    OccurredAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
                });
                logger.LogInformation("Lease {LeaseId}: {Units} accelerators from {From:u} {Outcome}", lease.Id, moved.Sum(a => a.Units), from,
                    carrier is null ? "dropped: " + why : "moved to lease " + carrier.Id);
                return;
            }
            lease = (await leases.GetAsync(leaseId, ct))!; // the lease clock started it meanwhile: apply the move to what is there
        }
    }

    // A new lease for the moved hours, or null and why not.
    async Task<(Lease? Lease, string Why)> PlaceAgainAsync(Lease lease, MoveCause cause, List<LeaseAllocation> moved,
        DateTimeOffset from, DateTimeOffset end, string group, IReadOnlySet<string> down, CancellationToken ct)
    {
        var request = FailoverRequest.For(lease, moved, from, end);
        var why = "";
        // An accept in flight holds capacity until it is confirmed or undone (within AcceptStaleAfter, its
        // holds' TTL at the latest), perhaps one of a broker that died in the middle of this very failover.
        var waitPending = System.Diagnostics.Stopwatch.StartNew();
        var pendingFor = options.AcceptStaleAfter + options.HoldTtl;
        for (var attempt = 1; attempt <= Tries; attempt++)
        {
            var key = $"{cause.Key}:{lease.Id}:{group}:{attempt}";
            try
            {
                var quoteId = await store.QuoteOfAsync(key)
                              ?? await store.ChooseAsync(key, (await quotes.RequestAsync(request, ct, down, kept: true)).Options[0].Id);
                return (await desk.AcceptAsync(quoteId, IdempotencyKeyOf(key), ct, movedFromLeaseId: lease.Id), "");
            }
            catch (ExhaustedException none)
            {
                if (waitPending.Elapsed >= pendingFor || !await accepts.AnyPendingAsync())
                    return (null, none.Message);
                // Nothing fits now, but capacity may come back when those accepts end: ask again rather than drop the hours.
                why = none.Message;
                attempt--;
                await Task.Delay(PendingPoll, ct);
            }
            catch (MarketException refused) when (refused is PreconditionException or NotFoundException or InvalidFieldException)
            {
                why = refused.Message; // capacity moved, or the quote expired before it was accepted: ask again
            }
        }
        return (null, why);
    }

    // The accept's key for a move's key: itself where it fits the accept's limit, else a digest of it.
    static string IdempotencyKeyOf(string key) =>
        "failover:" + (key.Length <= 119 ? key : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..40]);

    // The lease without the moved hours: each moved allocation ends at `from` (gone if it had not begun);
    // the window shrinks to what is left; nothing left before it started: cancelled.
    static Lease Truncated(Lease lease, List<LeaseAllocation> moved, DateTimeOffset from, LeaseMove move, string endReason)
    {
        var after = lease.Clone();
        var holdIds = moved.Select(a => a.HoldId).ToHashSet();
        after.Allocations.Clear();
        foreach (var allocation in lease.Allocations)
        {
            if (!holdIds.Contains(allocation.HoldId))
            {
                after.Allocations.Add(allocation);
                continue;
            }
            if (allocation.Window.Start.ToDateTimeOffset() >= from)
                continue;
            var kept = allocation.Clone();
            kept.Window.End = Timestamp.FromDateTimeOffset(from);
            after.Allocations.Add(kept);
        }
        after.Moves.Add(move);
        if (endReason.Length > 0)
            after.EndReason = endReason;
        if (after.Allocations.Count == 0)
        {
            after.State = LeaseState.Cancelled;
            after.CancelledAt = Timestamp.FromDateTimeOffset(from);
            return after;
        }
        after.Window = new Marketplace.Common.V1.TimeWindow
        {
            Start = after.Allocations.Select(a => a.Window.Start).MinBy(t => t.ToDateTimeOffset()),
            End = after.Allocations.Select(a => a.Window.End).MaxBy(t => t.ToDateTimeOffset()),
        };
        return after;
    }

    // The new lease's quoted total less the moved hours at the old allocations' prices.
    static Marketplace.Common.V1.Money ExtraCost(Lease carrier, List<LeaseAllocation> moved, DateTimeOffset from)
    {
        var before = moved.Sum(a => a.PricePerHour.ToDecimal() * a.Units
                                    * (decimal)(a.Window.End.ToDateTimeOffset() - Max(from, a.Window.Start.ToDateTimeOffset())).TotalHours);
        var now = carrier.QuotedTotal.ToDecimal();
        return Marketplace.Common.V1.Money.FromDecimal(Math.Round(now - before, 2, MidpointRounding.AwayFromZero), carrier.QuotedTotal.Currency);
    }

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
