using Grpc.Core;
using Marketplace.Broker.V1;

namespace Marketplace.Console;

// The broker's exchange, read as the signed-in operator (CallsAs): the book, past auctions, the live results.
public sealed class ExchangeCalls(ExchangeService.ExchangeServiceClient client, ConsoleOptions options)
{
    public async Task<OrderBook> BookAsync(int hours, string token, CancellationToken ct) =>
        await client.GetOrderBookAsync(new GetOrderBookRequest { Hours = hours }, CallsAs.Unary(token, options, ct));

    public async Task<IReadOnlyList<AuctionResult>> LatestAsync(int count, string token, CancellationToken ct) =>
        (await client.ListAuctionsAsync(new ListAuctionsRequest { PageSize = count }, CallsAs.Unary(token, options, ct))).Auctions;

    public AsyncServerStreamingCall<AuctionResult> Watch(string afterCursor, string token, CancellationToken ct) =>
        client.WatchAuctions(new WatchAuctionsRequest { AfterCursor = afterCursor }, CallsAs.Stream(token, ct));
}
