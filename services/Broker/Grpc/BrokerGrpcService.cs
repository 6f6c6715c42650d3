using System.Diagnostics;
using Grpc.Core;
using Marketplace.Broker.Leasing;
using Marketplace.Broker.Quoting;
using Marketplace.Broker.Telemetry;
using Marketplace.Broker.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Grpc;

namespace Marketplace.Broker.Grpc;

// The broker's gRPC edge: check the caller, map, delegate, map back. A tenant sees and acts only on its
// own quotes and leases; operators on anyone's. Errors are mapped by the shared interceptor.
public sealed class BrokerGrpcService(QuoteDesk quotes, LeaseDesk leases, TenantRateLimits limits, Failover.MoveLog moves)
    : BrokerService.BrokerServiceBase
{
    public override async Task<QuoteResponse> RequestQuote(QuoteRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var caller = context.Caller();
            caller.MustBeTenant(request.TenantId);
            limits.TakeQuote(caller);
            var reply = await quotes.RequestAsync(request, context.CancellationToken);
            BrokerMetrics.Quoted(Stopwatch.GetElapsedTime(started), RpcOutcome.Ok);
            return reply;
        }
        catch (Exception ex)
        {
            BrokerMetrics.Quoted(Stopwatch.GetElapsedTime(started), RpcOutcome.Of(ex));
            throw;
        }
    }

    public override async Task<Quote> GetQuote(GetQuoteRequest request, ServerCallContext context)
    {
        var quote = await quotes.GetAsync(request.QuoteId, context.CancellationToken);
        context.Caller().MustBeTenant(quote.TenantId);
        return quote;
    }

    public override async Task<Lease> AcceptQuote(AcceptQuoteRequest request, ServerCallContext context)
    {
        try
        {
            LeaseDesk.RequireKey(request.IdempotencyKey);
            var caller = context.Caller();
            var lease = await leases.AcceptAsync(request.QuoteId, request.IdempotencyKey, context.CancellationToken,
                admit: tenant =>
                {
                    caller.MustBeTenant(tenant);
                    limits.TakeAccept(caller);
                });
            BrokerMetrics.Accepted(RpcOutcome.Ok);
            return lease;
        }
        catch (Exception ex)
        {
            BrokerMetrics.Accepted(RpcOutcome.Of(ex));
            throw;
        }
    }

    public override async Task<Lease> GetLease(GetLeaseRequest request, ServerCallContext context)
    {
        var lease = await leases.GetAsync(request.LeaseId, context.CancellationToken);
        context.Caller().MustBeTenant(lease.TenantId);
        return lease;
    }

    public override Task<ListLeasesResponse> ListLeases(ListLeasesRequest request, ServerCallContext context)
    {
        context.Caller().MustBeTenant(request.TenantId);
        return leases.ListAsync(request, context.CancellationToken);
    }

    public override async Task<ListLeaseMovesResponse> ListLeaseMoves(ListLeaseMovesRequest request, ServerCallContext context)
    {
        context.Caller().MustBeStaff();
        if (request.PageSize is < 0 or > LeaseDesk.MaxPageSize)
            throw new InvalidFieldException("page_size", $"must be within 0..{LeaseDesk.MaxPageSize}");
        return new() { Moves = { await moves.LatestAsync(request.PageSize == 0 ? 50 : request.PageSize) } };
    }

    public override async Task<Lease> CancelLease(CancelLeaseRequest request, ServerCallContext context)
    {
        context.Caller().MustBeTenant((await leases.GetAsync(request.LeaseId, context.CancellationToken)).TenantId);
        return await leases.CancelAsync(request.LeaseId, request.Reason, context.CancellationToken);
    }
}
