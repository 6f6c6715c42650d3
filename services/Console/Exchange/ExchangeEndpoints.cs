using Marketplace.Console.Live;
using Marketplace.Console.SignIn;

namespace Marketplace.Console.Exchange;

// The exchange on the operator page: the book's depth, the latest auctions, and each new one as it clears.
public static class ExchangeEndpoints
{
    public static WebApplication MapExchange(this WebApplication app)
    {
        var exchange = app.MapGroup("/api/exchange").AddEndpointFilter<ServiceProblems>();

        // The coming hours' depth; the broker's book spans its auction's 24 hours at most.
        exchange.MapGet("/book", async (HttpContext http, ExchangeCalls calls, string? hours) =>
            BookView.From(await calls.BookAsync(QueryNumber.Parse(hours, "hours", 1, 24, absent: 6),
                ConsoleCookie.Read(http.Request)!, http.RequestAborted)));

        // Newest first, for the chart's history before the live feed takes over from the newest's cursor.
        exchange.MapGet("/auctions", async (HttpContext http, ExchangeCalls calls, string? last) =>
            (await calls.LatestAsync(QueryNumber.Parse(last, "last", 1, 200, absent: 30),
                ConsoleCookie.Read(http.Request)!, http.RequestAborted)).Select(AuctionView.From));

        // After the newest result the page has (?after=, or EventSource's Last-Event-ID); neither: from now on.
        exchange.MapGet("/auctions/live", (HttpContext http, AuctionBridge bridge, string? after) =>
        {
            var cursor = ResumeCursor.Of(http.Request, after);
            if (cursor.Length > 64)
                throw new BadFieldException("after", "is not a cursor an auction result gave");
            return TypedResults.ServerSentEvents(bridge.StreamAsync(cursor, ConsoleCookie.Read(http.Request)!, http.RequestAborted));
        });
        return app;
    }
}
