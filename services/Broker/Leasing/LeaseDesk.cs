using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Broker.Quoting;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Grpc;

namespace Marketplace.Broker.Leasing;

// Turns an accepted quote into a lease: hold every placement at the provider, confirm them all, record
// the lease. A failure half-way releases every hold taken. The same idempotency key returns the same lease.
public sealed class LeaseDesk(QuoteDesk quotes, QuoteStore quoteStore, LeaseStore leases, ProviderHolds holds,
    LeaseEvents events, TimeProvider clock, ILogger<LeaseDesk> logger)
{
    public const int MaxPageSize = 500;

    public static void RequireKey(string idempotencyKey)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 128)
            throw new InvalidFieldException("idempotency_key", "is required (at most 128 characters)");
    }

    public async Task<Lease> AcceptAsync(string quoteId, string idempotencyKey, CancellationToken ct)
    {
        RequireKey(idempotencyKey);
        var (quote, request) = await quoteStore.GetAsync(quoteId) ?? throw new NotFoundException("quote", quoteId);
        var leaseId = $"lease-{quote.Id}";

        if (await quoteStore.ClaimKeyAsync(idempotencyKey, quote.Id) != quote.Id)
            throw new InvalidFieldException("idempotency_key", "was used to accept a different quote");
        if (await leases.GetAsync(leaseId) is { } done)
            return await SameKeyOrThrow(quote.Id, idempotencyKey, done);
        if (quotes.IsExpired(quote))
        {
            await quoteStore.UnclaimAsync(quote.Id, idempotencyKey);
            throw new PreconditionException($"quote '{quote.Id}' expired at {quote.ExpiresAt.ToDateTimeOffset():u}; ask for a new one");
        }
        var owner = await quoteStore.ClaimAsync(quote.Id, idempotencyKey);
        if (owner != idempotencyKey)
            throw new PreconditionException($"quote '{quote.Id}' was already accepted");

        var taken = new List<Hold>();
        try
        {
            // Hold keys derive from the lease, so a retry after a crash finds the same holds again.
            foreach (var (placement, i) in quote.Placements.Select((p, i) => (p, i)))
                taken.Add(await holds.HoldAsync(placement, $"{leaseId}.{i}", ct));
            foreach (var hold in taken)
                await holds.ConfirmAsync(hold.Id, leaseId, ct);
        }
        catch (RpcException ex)
        {
            await holds.ReleaseAllAsync(taken.Select(h => h.Id));
            await quoteStore.UnclaimAsync(quote.Id, idempotencyKey);
            if (ex.StatusCode is StatusCode.ResourceExhausted or StatusCode.FailedPrecondition or StatusCode.NotFound)
                throw await CapacityMoved(quote, request, ex, ct);
            throw;
        }

        var lease = NewLease(leaseId, quote, request.VoucherId, taken);
        await leases.CreateAsync(lease);
        quote.State = QuoteState.Accepted;
        await quoteStore.UpdateAsync(quote);
        await events.CreatedAsync(lease, ct);
        logger.LogInformation("Lease {LeaseId} created for tenant {TenantId} from quote {QuoteId} ({Placements} placements)",
            lease.Id, lease.TenantId, quote.Id, lease.Allocations.Count);
        return lease;
    }

    public async Task<Lease> GetAsync(string leaseId, CancellationToken ct) =>
        await leases.GetAsync(leaseId) ?? throw new NotFoundException("lease", leaseId);

    public async Task<ListLeasesResponse> ListAsync(ListLeasesRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.TenantId))
            throw new InvalidFieldException("tenant_id", "is required");
        var page = Page.From(request.PageSize, request.PageToken, defaultSize: 50, MaxPageSize);
        var leasesOnPage = await leases.ListAsync(request.TenantId, page.Offset, page.Size);
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
        if (!await leases.TransitionAsync(lease, from))
            return await GetAsync(leaseId, ct); // the lease clock moved it meanwhile; its capacity is released all the same

        await (started ? events.EndedAsync(lease, ct) : events.CancelledAsync(lease, reason, ct));
        return lease;
    }

    async Task<Lease> SameKeyOrThrow(string quoteId, string idempotencyKey, Lease lease) =>
        await quoteStore.ClaimAsync(quoteId, idempotencyKey) == idempotencyKey
            ? lease
            : throw new PreconditionException($"quote '{quoteId}' was already accepted");

    // Capacity moved since the quote: say so, with a fresh quote for the same request when there is one.
    async Task<MarketException> CapacityMoved(Quote quote, QuoteRequest request, RpcException cause, CancellationToken ct)
    {
        try
        {
            var fresh = (await quotes.RequestAsync(request, ct)).Options[0];
            return new PreconditionException(
                $"capacity moved since quote '{quote.Id}' ({cause.Status.Detail}); fresh quote '{fresh.Id}'")
            {
                Details = new Dictionary<string, string> { ["fresh-quote-id"] = fresh.Id },
            };
        }
        catch (MarketException none)
        {
            return new PreconditionException($"capacity moved since quote '{quote.Id}' and no fresh quote is possible: {none.Message}");
        }
    }

    Lease NewLease(string leaseId, Quote quote, string voucherId, IReadOnlyList<Hold> taken)
    {
        var lease = new Lease
        {
            Id = leaseId,
            TenantId = quote.TenantId,
            QuoteId = quote.Id,
            Window = quote.Window,
            State = LeaseState.Scheduled,
            QuotedTotal = quote.Breakdown.Total,
            VoucherId = voucherId,
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
        }));
        return lease;
    }
}
