using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Grpc.Core;
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
    static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);   // inside proxies' idle timeouts
    static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async IAsyncEnumerable<SseItem<string>> StreamAsync(WatchBillingEventsRequest request, string token,
        [EnumeratorCancellation] CancellationToken ct)
    {
        // At once, so the page shows "live" while the log is quiet; it also sets EventSource's retry delay.
        yield return new SseItem<string>(Serialize(new { from = request.FromCursor }), "ready") { ReconnectionInterval = Retry };

        using var call = billing.Watch(request, token, ct);
        RpcException? failure = null;
        async Task<bool> NextAsync()
        {
            try
            {
                return await call.ResponseStream.MoveNext(ct);
            }
            catch (RpcException e) when (!ct.IsCancellationRequested)
            {
                failure = e;
                return false;
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is RpcException or OperationCanceledException)
            {
                return false; // the page went away
            }
        }

        var batch = new List<FeedItem>();
        var next = NextAsync();
        while (true)
        {
            if (batch.Count > 0 && !await ArrivesWithinAsync(next, Linger, ct))
            {
                yield return Frame(batch);
                batch.Clear();
            }
            while (batch.Count == 0 && !await ArrivesWithinAsync(next, KeepAlive, ct))
            {
                if (ct.IsCancellationRequested)
                    yield break;
                yield return new SseItem<string>("", "ping");
            }
            if (!await next)
                break;
            batch.Add(FeedItems.From(call.ResponseStream.Current));
            if (batch.Count >= MaxBatch)
            {
                yield return Frame(batch);
                batch.Clear();
            }
            next = NextAsync();
        }
        if (batch.Count > 0)
            yield return Frame(batch);
        if (failure is not null)
        {
            logger.LogWarning("Billing watch from cursor {Cursor} ended: {Status} {Detail}",
                request.FromCursor, failure.StatusCode, failure.Status.Detail);
            yield return new SseItem<string>(Serialize(Problem(failure)), "problem");
        }
    }

    static SseItem<string> Frame(List<FeedItem> batch) =>
        new(Serialize(batch), "billing") { EventId = batch[^1].Cursor };

    // What the page should do: start over (a cursor billing no longer knows), stop (refused), or retry.
    static object Problem(RpcException e) => new
    {
        code = e.StatusCode switch
        {
            StatusCode.InvalidArgument => "invalid-cursor",
            StatusCode.Unauthenticated or StatusCode.PermissionDenied => "refused",
            _ => "unavailable",
        },
        message = e.Status.Detail,
    };

    static async Task<bool> ArrivesWithinAsync(Task next, TimeSpan wait, CancellationToken ct)
    {
        if (next.IsCompleted)
            return true;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var first = await Task.WhenAny(next, Task.Delay(wait, timer.Token));
        await timer.CancelAsync();
        return first == next;
    }

    static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);
}
