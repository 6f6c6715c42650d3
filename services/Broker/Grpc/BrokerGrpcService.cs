using Grpc.Core;
using Marketplace.Broker.Quoting;
using Marketplace.Broker.V1;

namespace Marketplace.Broker.Grpc;

// The broker's gRPC edge: map, delegate, map back. Errors are mapped by the shared interceptor.
public sealed class BrokerGrpcService(QuoteDesk quotes) : BrokerService.BrokerServiceBase
{
    public override Task<QuoteResponse> RequestQuote(QuoteRequest request, ServerCallContext context) =>
        quotes.RequestAsync(request, context.CancellationToken);

    public override Task<Quote> GetQuote(GetQuoteRequest request, ServerCallContext context) =>
        quotes.GetAsync(request.QuoteId, context.CancellationToken);
}
