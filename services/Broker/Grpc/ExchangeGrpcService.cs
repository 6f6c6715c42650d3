using Grpc.Core;
using Marketplace.Broker.Exchange;
using Marketplace.Broker.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Broker.Grpc;

// The exchange's gRPC edge. A tenant places, sees and cancels its own bids; everyone signed in sees the
// book and the auctions' results (no tenant is named in either); operators may run an auction now.
public sealed class ExchangeGrpcService(ExchangeDesk exchange, AuctionDesk auctions, BidStore store)
    : ExchangeService.ExchangeServiceBase
{
    static readonly TimeSpan WatchPoll = TimeSpan.FromMilliseconds(500);

    public override Task<Bid> PlaceBid(PlaceBidRequest request, ServerCallContext context)
    {
        context.Caller().MustBeTenant(request.Demand?.TenantId ?? "");
        return exchange.PlaceAsync(request, context.CancellationToken);
    }

    public override async Task<Bid> CancelBid(CancelBidRequest request, ServerCallContext context)
    {
        context.Caller().MustBeTenant((await exchange.GetAsync(request.BidId, context.CancellationToken)).TenantId);
        return await exchange.CancelAsync(request.BidId, context.CancellationToken);
    }

    public override async Task<Bid> GetBid(GetBidRequest request, ServerCallContext context)
    {
        var bid = await exchange.GetAsync(request.BidId, context.CancellationToken);
        context.Caller().MustBeTenant(bid.TenantId);
        return bid;
    }

    public override Task<ListBidsResponse> ListBids(ListBidsRequest request, ServerCallContext context)
    {
        context.Caller().MustBeTenant(request.TenantId);
        return exchange.ListAsync(request, context.CancellationToken);
    }

    public override Task<OrderBook> GetOrderBook(GetOrderBookRequest request, ServerCallContext context) =>
        exchange.BookAsync(request, context.CancellationToken);

    public override async Task<ListAuctionsResponse> ListAuctions(ListAuctionsRequest request, ServerCallContext context)
    {
        if (request.PageSize is < 0 or > 500)
            throw new InvalidFieldException("page_size", "must be 0 (20) to 500");
        var response = new ListAuctionsResponse();
        response.Auctions.AddRange(await store.LatestAuctionsAsync(request.PageSize == 0 ? 20 : request.PageSize, context.CancellationToken));
        return response;
    }

    // Resumable: each result carries its cursor; a watcher that reconnects with it misses nothing.
    public override async Task WatchAuctions(WatchAuctionsRequest request, IServerStreamWriter<AuctionResult> responseStream,
        ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var cursor = request.AfterCursor;
        if (cursor.Length == 0)
            cursor = await store.NewestCursorAsync(ct);
        else if (!StreamId.IsValid(cursor))
            throw new InvalidFieldException("after_cursor", "is not a cursor an auction result gave");
        while (!ct.IsCancellationRequested)
        {
            foreach (var result in await store.AuctionsAfterAsync(cursor, 100, ct))
            {
                await responseStream.WriteAsync(result, ct);
                cursor = result.Cursor;
            }
            await Task.Delay(WatchPoll, ct);
        }
    }

    public override async Task<AuctionResult> RunAuction(RunAuctionRequest request, ServerCallContext context)
    {
        context.Caller().MustBeOperator();
        return (await auctions.RunAsync(scheduled: false, context.CancellationToken))!;
    }

    static class StreamId
    {
        public static bool IsValid(string id)
        {
            var dash = id.IndexOf('-');
            return id.Length <= 41 && dash > 0 && ulong.TryParse(id.AsSpan(0, dash), out _) && ulong.TryParse(id.AsSpan(dash + 1), out _);
        }
    }
}
