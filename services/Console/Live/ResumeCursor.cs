namespace Marketplace.Console.Live;

// Where a page's stream starts: Last-Event-ID (EventSource's own reconnect) wins over the query's cursor
// (the page reopening a stream it closed itself, or opening it after its history); neither: "".
static class ResumeCursor
{
    public static string Of(HttpRequest request, string? query)
    {
        var lastEventId = request.Headers["Last-Event-ID"].ToString();
        return lastEventId.Length > 0 ? lastEventId : query?.Trim() ?? "";
    }
}
