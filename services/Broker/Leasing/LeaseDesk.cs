using Marketplace.ServiceDefaults.Time;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Broker.Quoting;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Grpc;

namespace Marketplace.Broker.Leasing;

// Turns an accepted quote into a lease, as a recoverable two-phase step (see accept.lua) of three durable
// writes: one attempt at a time owns the quote's accept, recording as it begins the holds it will take
// (their ids follow from its hold keys); it takes every placement at the provider at once, each confirmed
// into the lease in one write; and it commits the lease with its LeaseCreated in one atomic write. Once
// it has decided to commit, nothing the client does stops it; the work runs on the broker's own budget,
// so a client that gave up and retries gets the outcome. A retry while an attempt is running waits for
// it; an attempt found stale is undone first, every recorded hold given back, taken or not. The same
// idempotency key always gets the same lease.
public sealed class LeaseDesk(QuoteDesk quotes, QuoteStore quoteStore, LeaseStore leases, AcceptStore accepts,
    AcceptUndo undo, LiveBrokers live, ProviderHolds holds, LeaseEvents events, OutboxRelay relay, BrokerOptions options,
    TimeProvider clock, ILogger<LeaseDesk> logger)
{
    public const int MaxPageSize = 500;
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static void RequireKey(string idempotencyKey)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 128)
            throw new InvalidFieldException("idempotency_key", "is required (at most 128 characters)");
    }

    // `ct` is the client's: it ends the wait for another attempt, never an attempt of this call's own.
    // `movedFromLeaseId`: the lease whose hours this one carries on (a failover). `admit`: told the tenant
    // the quote (or, once the quote is gone, its lease) is for, before anything is written; it throws to
    // refuse the caller, so the quote is read once for both.
    public async Task<Lease> AcceptAsync(string quoteId, string idempotencyKey, CancellationToken ct, string movedFromLeaseId = "",
        Action<string>? admit = null)
    {
        RequireKey(idempotencyKey);
        var (stored, cacheFault) = await ReadQuoteAsync(quoteId);
        if (stored is not var (quote, request))
        {
            // A retry of a committed accept needs only the lease: it is answered while the quote cache is away.
            var lease = await leases.GetAsync(LeaseStore.IdFor(quoteId));
            if (lease is not null)
            {
                admit?.Invoke(lease.TenantId);
                return await CommittedAsync(quoteId, idempotencyKey, lease)
                       ?? throw new PreconditionException($"quote '{quoteId}' was already accepted");
            }
            if (cacheFault is not null)
                throw new UnavailableException($"quote '{quoteId}' cannot be read now (the quote store is unreachable); retry");
            throw new NotFoundException("quote", quoteId);
        }
        admit?.Invoke(quote.TenantId);
        while (true)
        {
            var attempt = LiveBrokers.AttemptFor();
            var holdIds = quote.Placements.Select((p, i) => ProviderHolds.IdFor(p.OfferId, HoldKey(attempt, i)));
            switch (await accepts.BeginAsync(quote.Id, idempotencyKey, attempt, holdIds, options.AcceptStaleAfter, NowMs()))
            {
                case AcceptStore.Begin.Done done:
                    return await leases.GetAsync(done.LeaseId) ?? throw new InvalidOperationException($"lease '{done.LeaseId}' is committed but missing");
                case AcceptStore.Begin.KeyConflict:
                    throw new InvalidFieldException("idempotency_key", "was used to accept a different quote");
                case AcceptStore.Begin.Refused refused:
                    throw Refusal(refused.Why, refused.FreshQuoteId); // the same key gets the same answer
                case AcceptStore.Begin.Taken taken:
                    throw new PreconditionException(taken.Committed
                        ? $"quote '{quote.Id}' was already accepted"
                        : $"quote '{quote.Id}' is being accepted with another idempotency key");
                case AcceptStore.Begin.Busy busy when await live.IsGoneAsync(busy.Attempt):
                    await undo.UndoAsync(quote.Id, idempotencyKey, busy.Attempt); // its replica died: it will never finish
                    continue;
                case AcceptStore.Begin.Busy:
                    await Task.Delay(PollInterval, ct); // another attempt of this request is at work: its outcome is ours
                    continue;
                case AcceptStore.Begin.Stale stale:
                    await undo.UndoAsync(quote.Id, stale.Key, stale.Attempt);
                    await Task.Delay(PollInterval, ct);
                    continue;
            }

            if (quotes.IsExpired(quote))
            {
                await undo.UndoAsync(quote.Id, idempotencyKey, attempt);
                throw new PreconditionException($"quote '{quote.Id}' expired at {quote.ExpiresAt.ToDateTimeOffset():u}; ask for a new one");
            }
            // On a fast market clock a quote can outlive its first hour, which no provider will hold any more.
            if (quote.Placements.Min(p => p.Window.Start.ToDateTimeOffset()) < WholeHours.Floor(clock.GetUtcNow()))
            {
                await undo.UndoAsync(quote.Id, idempotencyKey, attempt);
                throw new PreconditionException($"quote '{quote.Id}' starts at {quote.Window.Start.ToDateTimeOffset():u}, which has passed; ask for a new one");
            }
            return await RunAttemptAsync(quote, request, idempotencyKey, attempt, movedFromLeaseId);
        }
    }

    async Task<Lease> RunAttemptAsync(Quote quote, QuoteRequest request, string idempotencyKey, string attempt, string movedFromLeaseId)
    {
        var leaseId = LeaseStore.IdFor(quote.Id);
        using var budget = new CancellationTokenSource(options.AcceptTimeout);
        // Every placement at once, each confirmed into the lease as it is taken: the holds were recorded
        // when the attempt began, so whoever undoes it gives back what it took, and what it had not taken
        // yet can no longer be taken.
        var calls = quote.Placements.Select((p, i) => holds.HoldAsync(p, HoldKey(attempt, i), leaseId, budget.Token)).ToList();
        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception) when (calls.Select(c => c.Exception?.InnerException).OfType<Exception>().ToList() is { Count: > 0 } failures
                                && failures.All(ex => ex is RpcException or OperationCanceledException))
        {
            var taken = calls.Where(c => c.IsCompletedSuccessfully).Select(c => c.Result.Id);
            if (failures.OfType<RpcException>().FirstOrDefault(IsRefusal) is { } rpc)
            {
                var released = await undo.UndoAsync(quote.Id, idempotencyKey, attempt, taken, keep: true);
                var refusal = await CapacityMoved(quote, request, rpc);
                if (released)
                    await accepts.RefuseAsync(quote.Id, attempt, refusal.Message, refusal.Details.GetValueOrDefault("fresh-quote-id", ""), NowMs());
                throw refusal;
            }
            await undo.UndoAsync(quote.Id, idempotencyKey, attempt, taken);
            var ex = failures[0];
            throw new UnavailableException(ex is RpcException { StatusCode: StatusCode.AlreadyExists }
                ? $"the accept of quote '{quote.Id}' was taken over by another attempt; retry with the same idempotency key"
                : $"the provider did not complete the holds for quote '{quote.Id}' " +
                  $"({(budget.IsCancellationRequested ? "it took longer than the accept's budget" : Describe(ex))}); retry with the same idempotency key");
        }
        var confirmed = calls.Select(c => c.Result).ToList();
        // A hold found given back (a retry of its request after an undo) is not ours to lease: whoever gave
        // it back undid the attempt first, so the commit would refuse anyway.
        if (confirmed.Any(h => h.State != HoldState.Confirmed))
        {
            await undo.UndoAsync(quote.Id, idempotencyKey, attempt, confirmed.Select(h => h.Id));
            throw new UnavailableException($"the accept of quote '{quote.Id}' was taken over by another attempt; retry with the same idempotency key");
        }

        // Decided: from here on the client's deadline is no reason to stop.
        var lease = NewLease(leaseId, quote, request, confirmed);
        lease.MovedFromLeaseId = movedFromLeaseId;
        var (eventId, created) = events.Created(lease);
        if (!await accepts.CommitAsync(attempt, quote.Id, lease, eventId, created, NowMs()))
        {
            // Undone meanwhile (it ran past the stale age): whoever undid it gives its holds back.
            throw new UnavailableException($"the accept of quote '{quote.Id}' took too long and was undone; retry with the same idempotency key");
        }
        // The event is in the outbox with the lease: the tenant need not wait for RabbitMQ's confirm.
        _ = relay.SendNowAsync(eventId, created);
        logger.LogInformation("Lease {LeaseId} created for tenant {TenantId} from quote {QuoteId} ({Placements} placements)",
            lease.Id, lease.TenantId, quote.Id, lease.Allocations.Count);
        return lease;
    }

    async Task<((Quote, QuoteRequest)? Stored, Exception? Fault)> ReadQuoteAsync(string quoteId)
    {
        try
        {
            return (await quoteStore.GetAsync(quoteId), null);
        }
        catch (Exception ex) when (TransientFaults.Are(ex))
        {
            return (null, ex);
        }
    }

    // A quote outlives its acceptance by a minute only; its accept is kept two days, so the same key
    // still gets its lease.
    async Task<Lease?> CommittedAsync(string quoteId, string idempotencyKey, Lease lease)
    {
        var (state, _, key) = await accepts.GetAsync(quoteId, NowMs());
        return state == "committed" && key == idempotencyKey ? lease : null;
    }

    public async Task<Lease> GetAsync(string leaseId, CancellationToken ct) =>
        await leases.GetAsync(leaseId, ct) ?? throw new NotFoundException("lease", leaseId);

    public async Task<ListLeasesResponse> ListAsync(ListLeasesRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.TenantId))
            throw new InvalidFieldException("tenant_id", "is required");
        var page = Page.From(request.PageSize, request.PageToken, defaultSize: 50, MaxPageSize);
        var leasesOnPage = await leases.ListAsync(request.TenantId, page.Offset, page.Size, ct);
        var response = new ListLeasesResponse { NextPageToken = page.NextToken(leasesOnPage.Count) };
        response.Leases.AddRange(leasesOnPage.Where(l => request.State == LeaseState.Unspecified || l.State == request.State));
        return response;
    }

    // Before the start, the capacity goes back; after it, the lease ends now and is billed up to now.
    public async Task<Lease> CancelAsync(string leaseId, string reason, CancellationToken ct)
    {
        var lease = await GetAsync(leaseId, ct);
        if (lease.State is LeaseState.Cancelled or LeaseState.Ended)
            throw new PreconditionException($"lease '{leaseId}' is already {lease.State.ToString().ToLowerInvariant()}");
        foreach (var allocation in lease.Allocations)
            await holds.ReleaseAsync(allocation.HoldId, ct);

        var now = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        var from = lease.State;
        var started = clock.GetUtcNow() >= lease.Window.Start.ToDateTimeOffset();
        if (started)
        {
            lease.State = LeaseState.Ended;
            lease.EndedAt = now;
        }
        else
        {
            lease.State = LeaseState.Cancelled;
            lease.CancelledAt = now;
        }
        var (eventId, message) = started ? events.Ended(lease) : events.Cancelled(lease, reason);
        if (!await leases.TransitionAsync(lease, from, eventId, message, NowMs()))
            return await GetAsync(leaseId, ct); // the lease clock moved it meanwhile; its capacity is released all the same
        await relay.SendNowAsync(eventId, message);
        return lease;
    }

    long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    static string Describe(Exception ex) => ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message;

    // A placement's hold key: named after the attempt, so its hold's id is known before it is taken.
    static string HoldKey(string attempt, int placement) => $"{attempt}.{placement}";

    // Capacity moved (or the offer went): the market says no, and the key keeps that answer.
    static bool IsRefusal(RpcException rpc) =>
        rpc.StatusCode is StatusCode.ResourceExhausted or StatusCode.FailedPrecondition or StatusCode.NotFound;

    // Capacity moved since the quote: say so, with a fresh quote for the same request when there is one.
    async Task<PreconditionException> CapacityMoved(Quote quote, QuoteRequest request, RpcException cause)
    {
        try
        {
            var fresh = (await quotes.RequestAsync(request, CancellationToken.None)).Options[0];
            return Refusal($"capacity moved since quote '{quote.Id}' ({cause.Status.Detail}); fresh quote '{fresh.Id}'", fresh.Id);
        }
        catch (MarketException none)
        {
            return Refusal($"capacity moved since quote '{quote.Id}' and no fresh quote is possible: {none.Message}", "");
        }
    }

    static PreconditionException Refusal(string why, string freshQuoteId) => new(why)
    {
        Details = freshQuoteId.Length == 0
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["fresh-quote-id"] = freshQuoteId },
    };

    Lease NewLease(string leaseId, Quote quote, QuoteRequest request, IReadOnlyList<Hold> taken)
    {
        var lease = new Lease
        {
            Id = leaseId,
            TenantId = quote.TenantId,
            QuoteId = quote.Id,
            Window = quote.Window,
            State = LeaseState.Scheduled,
            QuotedTotal = quote.Breakdown.Total,
            Quoted = quote.Breakdown,
            VoucherId = request.VoucherId,
            Request = request,
            CreatedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
        };
        lease.Allocations.AddRange(quote.Placements.Zip(taken, (p, hold) => new LeaseAllocation
        {
            OfferId = p.OfferId,
            HoldId = hold.Id,
            DatacenterId = p.DatacenterId,
            ProviderId = p.ProviderId,
            RegionId = p.RegionId,
            HubId = p.HubId,
            AcceleratorModel = p.AcceleratorModel,
            Units = p.Units,
            PricePerHour = p.PricePerHour,
            Window = p.Window,
        }));
        return lease;
    }
}
