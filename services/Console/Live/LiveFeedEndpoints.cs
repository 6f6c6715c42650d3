using Marketplace.Billing.V1;
using Marketplace.Console.SignIn;

namespace Marketplace.Console.Live;

public static class LiveFeedEndpoints
{
    public static WebApplication MapLiveFeed(this WebApplication app)
    {
        // The page's EventSource. Where to start: Last-Event-ID (EventSource's own reconnect) wins over
        // ?from= (the page reopening after it closed the stream itself); neither means the start of the log.
        app.MapGet("/api/events", (HttpContext http, BillingEventBridge bridge,
            string? from, string? tenant, string? provider, string? hub) =>
        {
            var lastEventId = http.Request.Headers["Last-Event-ID"].ToString();
            var request = new WatchBillingEventsRequest
            {
                FromCursor = lastEventId.Length > 0 ? lastEventId : from ?? "",
                TenantId = tenant?.Trim() ?? "",
                ProviderId = provider?.Trim() ?? "",
                HubId = hub?.Trim() ?? "",
            };
            var token = ConsoleCookie.Read(http.Request)!; // present: the fallback policy let us in
            return TypedResults.ServerSentEvents(bridge.StreamAsync(request, token, http.RequestAborted));
        });
        return app;
    }
}
