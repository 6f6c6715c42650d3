using Marketplace.Billing.V1;
using Marketplace.Console.SignIn;

namespace Marketplace.Console.Live;

public static class LiveFeedEndpoints
{
    public static WebApplication MapLiveFeed(this WebApplication app)
    {
        // The operator page's EventSource; no cursor means the start of the log.
        app.MapGet("/api/events", (HttpContext http, BillingEventBridge bridge,
            string? from, string? tenant, string? provider, string? hub) =>
        {
            var request = new WatchBillingEventsRequest
            {
                FromCursor = ResumeCursor.Of(http.Request, from),
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
