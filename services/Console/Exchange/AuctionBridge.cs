using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Marketplace.Broker.V1;
using Marketplace.Console.Live;

namespace Marketplace.Console.Exchange;

// The broker's WatchAuctions as server-sent events for the operator page, one "auction" frame per result
// whose id is the result's cursor: EventSource's own reconnect sends it back as Last-Event-ID, which is
// exactly WatchAuctions(after_cursor), so a reconnect misses no auction and repeats none (as billing's feed).
public sealed class AuctionBridge(ExchangeCalls exchange, ILogger<AuctionBridge> logger)
{
    public async IAsyncEnumerable<SseItem<string>> StreamAsync(string afterCursor, string token,
        [EnumeratorCancellation] CancellationToken ct)
    {
        yield return SseFrames.Ready(afterCursor);

        using var call = exchange.Watch(afterCursor, token, ct);
        var stream = new GrpcStreamReader<AuctionResult>(call.ResponseStream, ct);
        var next = stream.NextAsync();
        while (true)
        {
            while (!await SseFrames.ArrivesWithinAsync(next, SseFrames.KeepAlive, ct))
            {
                if (ct.IsCancellationRequested)
                    yield break;
                yield return SseFrames.Ping();
            }
            if (!await next)
                break;
            var result = stream.Current;
            yield return new SseItem<string>(SseFrames.Serialize(AuctionView.From(result)), "auction") { EventId = result.Cursor };
            next = stream.NextAsync();
        }
        if (stream.Failure is { } failure)
        {
            logger.LogWarning("Auction watch after cursor {Cursor} ended: {Status} {Detail}",
                afterCursor, failure.StatusCode, failure.Status.Detail);
            yield return SseFrames.Problem(failure);
        }
    }
}
