using Grpc.Core;
using Marketplace.Broker.Leasing;
using Marketplace.Broker.Quoting;
using Marketplace.Broker.V1;

namespace Marketplace.Broker.Grpc;

// The broker's gRPC edge: map, delegate, map back. Errors are mapped by the shared interceptor.
public sealed class BrokerGrpcService(QuoteDesk quotes, LeaseDesk leases) : BrokerService.BrokerServiceBase
{
    public override Task<QuoteResponse> RequestQuote(QuoteRequest request, ServerCallContext context) =>
        quotes.RequestAsync(request, context.CancellationToken);

    public override Task<Quote> GetQuote(GetQuoteRequest request, ServerCallContext context) =>
        quotes.GetAsync(request.QuoteId, context.CancellationToken);

    public override Task<Lease> AcceptQuote(AcceptQuoteRequest request, ServerCallContext context) =>
        leases.AcceptAsync(request.QuoteId, request.IdempotencyKey, context.CancellationToken);

    public override Task<Lease> GetLease(GetLeaseRequest request, ServerCallContext context) =>
        leases.GetAsync(request.LeaseId, context.CancellationToken);

    public override Task<ListLeasesResponse> ListLeases(ListLeasesRequest request, ServerCallContext context) =>
        leases.ListAsync(request, context.CancellationToken);

    public override Task<Lease> CancelLease(CancelLeaseRequest request, ServerCallContext context) =>
        leases.CancelAsync(request.LeaseId, request.Reason, context.CancellationToken);
}
