using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Console.SignIn;

public static class SignInEndpoints
{
    public static WebApplication MapSignIn(this WebApplication app)
    {
        var page = Path.Combine(app.Environment.WebRootPath, "public", "signin.html");
        app.MapGet("/signin", () => TypedResults.PhysicalFile(page, "text/html; charset=utf-8")).AllowAnonymous();

        // An operator pastes the token that deploy/local/market.sh printed (or their own issuer's); a tenant its own.
        app.MapPost("/signin", async (HttpContext http, TokenCheck check) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var back = ReturnPath.Of(form["return"]);
            var verdict = await check.CheckAsync(form["token"]);
            if (verdict.Problem is not null)
                return Results.Redirect($"/signin?problem={verdict.Problem}&return={Uri.EscapeDataString(back)}");
            ConsoleCookie.Write(http.Response, verdict.Token, verdict.ExpiresAt);
            return Results.Redirect(ConsoleArea.Landing(back, verdict.Role));
        }).AllowAnonymous();

        app.MapPost("/signout", (HttpResponse response) =>
        {
            ConsoleCookie.Clear(response);
            return Results.Redirect("/signin?problem=signed-out");
        }).AllowAnonymous();

        // Who is signed in, and until when (the page shows it and signs out at expiry).
        app.MapGet("/api/me", (HttpContext http) =>
        {
            var caller = Caller.From(http.User);
            var expires = long.TryParse(http.User.FindFirst("exp")?.Value, out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : (DateTimeOffset?)null;
            return new { caller.Subject, caller.Role, ExpiresAt = expires };
        });

        // For probes and load balancers; says nothing about anyone.
        app.MapGet("/healthz", () => "ok").AllowAnonymous();
        return app;
    }
}
