namespace Marketplace.Console.SignIn;

// Where the signed-in operator's or tenant's token lives between requests: HttpOnly (no script reads it),
// SameSite=Strict (no other site's page can make the browser send it), and gone when the token itself expires.
static class ConsoleCookie
{
    const string Name = "market_console";

    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var token) && token.Length > 0 ? token : null;

    public static void Write(HttpResponse response, string token, DateTimeOffset expires) =>
        response.Cookies.Append(Name, token, Options(response.HttpContext.Request, expires));

    public static void Clear(HttpResponse response) =>
        response.Cookies.Delete(Name, Options(response.HttpContext.Request, null));

    static CookieOptions Options(HttpRequest request, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
