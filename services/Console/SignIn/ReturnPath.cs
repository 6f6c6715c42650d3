namespace Marketplace.Console.SignIn;

// Where sign-in sends the operator back to: the page they asked for (filters in its query included), but only
// ever a path on this site: never another host ("//evil.example", "/\evil.example"), and no control characters
// or spaces, which browsers drop or rewrite before they read the address.
static class ReturnPath
{
    public static string Of(string? path) =>
        path is { Length: > 0 } p && p[0] == '/' && (p.Length == 1 || (p[1] != '/' && p[1] != '\\'))
        && !p.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? p
            : "/";

    public static string Query(HttpRequest request) => Uri.EscapeDataString(Of(request.Path + request.QueryString));
}
