namespace Marketplace.Console;

// The page loads only its own files and talks only to its own origin; nothing may frame it.
static class SecurityHeaders
{
    const string Policy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; " +
                          "form-action 'self'; frame-ancestors 'none'";

    public static Task ApplyAsync(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return next();
    }
}
