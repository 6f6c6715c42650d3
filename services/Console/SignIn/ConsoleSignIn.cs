using Marketplace.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Marketplace.Console.SignIn;

public static class ConsoleSignIn
{
    // The market's own JWTs (same key, issuer, audience as every service), read from the console's cookie.
    // Every page, file, API and stream needs one whose role ConsoleArea allows there; only the sign-in
    // page and its files do not.
    public static WebApplicationBuilder AddConsoleSignIn(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var validation = TokenIssuer.Validation(auth); // fails at start-up, with the fix, when Auth:SigningKey is missing
        builder.Services.AddSingleton(new TokenCheck(validation));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = validation;
                jwt.Events = new CookieTokenEvents();
            });
        builder.Services.AddAuthorization(authorization =>
            authorization.FallbackPolicy = new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.Resource is HttpContext http
                    && ConsoleArea.RolesFor(http.Request.Path).Contains(Caller.From(context.User).Role))
                .Build());
        return builder;
    }
}
