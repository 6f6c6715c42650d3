using System.Net.ServerSentEvents;
using System.Text.Json;
using Grpc.Core;

namespace Marketplace.Console.Live;

// The frames every bridge sends besides its data: "ready" at once (the page shows live while the service is
// quiet; it also sets EventSource's retry delay), "ping" inside proxies' idle timeouts, and "problem" when
// the service ended the stream, saying what the page should do.
static class SseFrames
{
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static SseItem<string> Ready(string from) => new(Serialize(new { from }), "ready") { ReconnectionInterval = Retry };

    public static SseItem<string> Ping() => new("", "ping");

    // Start over (a cursor the service no longer knows), stop (refused), or retry.
    public static SseItem<string> Problem(RpcException e) => new(Serialize(new
    {
        code = e.StatusCode switch
        {
            StatusCode.InvalidArgument => "invalid-cursor",
            StatusCode.Unauthenticated or StatusCode.PermissionDenied => "refused",
            _ => "unavailable",
        },
        message = e.Status.Detail,
    }), "problem");

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static async Task<bool> ArrivesWithinAsync(Task next, TimeSpan wait, CancellationToken ct)
    {
        if (next.IsCompleted)
            return true;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var first = await Task.WhenAny(next, Task.Delay(wait, timer.Token));
        await timer.CancelAsync();
        return first == next;
    }
}
