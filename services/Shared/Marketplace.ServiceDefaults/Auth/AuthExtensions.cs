using Grpc.Core;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.ServiceDefaults.Auth;

public static class AuthExtensions
{
    // JWT bearer sign-in: every RPC needs a valid token, except health and reflection.
    public static WebApplicationBuilder AddMarketplaceAuth(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.AddSingleton(options);
        // Tokens live in wall-clock time, never on the (possibly accelerated) market clock.
        builder.Services.AddSingleton(new TokenIssuer(options));
        builder.Services.AddSingleton<ServiceToken>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = TokenIssuer.Validation(options);
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(new RememberedTokens(new JsonWebTokenHandler { MapInboundClaims = false }, TimeProvider.System));
                jwt.Events = GrpcSignInStatus.Events();
            });
        builder.Services.WithoutKeyRingWarmUp();
        builder.Services.AddAuthorization(auth =>
            auth.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireClaim(TokenIssuer.RoleClaim, MarketRoles.All)
                .Build());
        return builder;
    }

    public static Caller Caller(this ServerCallContext context) => Auth.Caller.From(context.GetHttpContext().User);

    // Calls to another Marketplace service carry this service's own token.
    public static IHttpClientBuilder WithServiceToken(this IHttpClientBuilder client) =>
        client
            .AddCallCredentials((_, metadata, services) =>
            {
                metadata.Add("Authorization", $"Bearer {services.GetRequiredService<ServiceToken>().Current}");
                return Task.CompletedTask;
            })
            .ConfigureChannel(channel => channel.UnsafeUseInsecureChannelCallCredentials = true);
}
