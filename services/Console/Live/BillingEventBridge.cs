using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Marketplace.Billing.V1;

namespace Marketplace.Console.Live;

// Billing's gRPC event stream as server-sent events for one page.
//
// Why SSE: the feed flows one way, server to browser; EventSource reconnects by itself and sends back
// the last `id:` it received as Last-Event-ID, and that id is billing's cursor, so a reconnect is exactly
// WatchBillingEvents(from_cursor = Last-Event-ID): no gap, no duplicate, no resume protocol of our own.
// It is plain HTTP/1.1 through any proxy and needs no library in the page. A WebSocket would make us
// rebuild reconnection and resumption by hand; polling would add latency and load; gRPC-Web would need a
// client library (no npm here) and still no automatic resume.
//
// A "billing" frame carries a batch of events and its id is the last cursor in it, so a long replay takes
// a few frames rather than one per event, and the id the browser resumes from is always that of the last
// event it fully received.
public sealed class BillingEventBridge(BillingCalls billing, ILogger<BillingEventBridge> logger)
{
    const int MaxBatch = 500;
    static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20); // gather a replay's burst into one frame

    public async IAsyncEnumerable<SseItem<string>> StreamAsync(WatchBillingEventsRequest request, string token,
        [EnumeratorCancellation] CancellationToken ct)
    {
        yield return SseFrames.Ready(request.FromCursor);

        using var call = billing.Watch(request, token, ct);
        var stream = new GrpcStreamReader<BillingEvent>(call.ResponseStream, ct);
        var batch = new List<FeedItem>();
        var next = stream.NextAsync();
        while (true)
        {
            if (batch.Count > 0 && !await SseFrames.ArrivesWithinAsync(next, Linger, ct))
            {
                yield return Frame(batch);
                batch.Clear();
            }
            while (batch.Count == 0 && !await SseFrames.ArrivesWithinAsync(next, SseFrames.KeepAlive, ct))
            {
                if (ct.IsCancellationRequested)
                    yield break;
                yield return SseFrames.Ping();
            }
            if (!await next)
                break;
            batch.Add(FeedItems.From(stream.Current));
            if (batch.Count >= MaxBatch)
            {
                yield return Frame(batch);
                batch.Clear();
            }
            next = stream.NextAsync();
        }
        if (batch.Count > 0)
            yield return Frame(batch);
        if (stream.Failure is { } failure)
        {
            logger.LogWarning("Billing watch from cursor {Cursor} ended: {Status} {Detail}",
                request.FromCursor, failure.StatusCode, failure.Status.Detail);
            yield return SseFrames.Problem(failure);
        }
    }

    static SseItem<string> Frame(List<FeedItem> batch) =>
        new(SseFrames.Serialize(batch), "billing") { EventId = batch[^1].Cursor };
}
