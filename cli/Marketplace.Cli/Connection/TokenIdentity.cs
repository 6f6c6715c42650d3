using Marketplace.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Marketplace.Cli.Connection;

// Who a token says its bearer is. Read, not verified (the services verify): it only fills in
// defaults such as --tenant for a tenant's own token.
public sealed record TokenIdentity(string Role, string Subject, DateTimeOffset ExpiresAt)
{
    public static TokenIdentity? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
            return null;
        try
        {
            var jwt = new JsonWebToken(token);
            return jwt.TryGetPayloadValue<string>(TokenIssuer.RoleClaim, out var role)
                ? new TokenIdentity(role, jwt.Subject ?? "", new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero))
                : null;
        }
        catch (ArgumentException)
        {
            return null; // not a JWT; the service will say so
        }
    }
}
