using Marketplace.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Marketplace.Console.SignIn;

public static class OperatorSignIn
{
    // The market's own JWTs (same key, issuer, audience as every service), read from the console's cookie.
    // Every page, file, API and stream needs an operator's; only the sign-in page and its files do not.
    public static WebApplicationBuilder AddOperatorSignIn(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var validation = TokenIssuer.Validation(auth); // fails at start-up, with the fix, when Auth:SigningKey is missing
        builder.Services.AddSingleton(new OperatorTokenCheck(validation));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = validation;
                jwt.Events = new OperatorCookieEvents();
            });
        builder.Services.AddAuthorization(authorization =>
            authorization.FallbackPolicy = new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireClaim(TokenIssuer.RoleClaim, MarketRoles.Operator)
                .Build());
        return builder;
    }
}
