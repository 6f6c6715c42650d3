using Marketplace.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.Console.SignIn;

// Checks a pasted token as the services will: same key, issuer, audience and algorithm, and the role of
// someone the console serves (an operator or a tenant).
public sealed class TokenCheck(TokenValidationParameters validation)
{
    readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<TokenVerdict> CheckAsync(string? token)
    {
        token = token?.Trim();
        if (token?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true)
            token = token["Bearer ".Length..].Trim(); // pasted from a header
        if (string.IsNullOrEmpty(token))
            return TokenVerdict.Refused("empty");
        var result = await _handler.ValidateTokenAsync(token, validation);
        if (!result.IsValid)
            return TokenVerdict.Refused(result.Exception is SecurityTokenExpiredException ? "expired" : "invalid");
        var role = result.Claims.TryGetValue(TokenIssuer.RoleClaim, out var claim) ? claim as string ?? "" : "";
        if (!ConsoleArea.SignsIn.Contains(role))
            return TokenVerdict.Refused("role");
        var jwt = (JsonWebToken)result.SecurityToken;
        return new TokenVerdict(token, jwt.Subject, role, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), null);
    }
}
