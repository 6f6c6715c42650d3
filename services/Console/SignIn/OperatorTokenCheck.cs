using Marketplace.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.Console.SignIn;

// Checks a pasted token as billing will: same key, issuer, audience and algorithm, and an operator's role.
public sealed class OperatorTokenCheck(TokenValidationParameters validation)
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
        if ((result.Claims.TryGetValue(TokenIssuer.RoleClaim, out var role) ? role as string : null) != MarketRoles.Operator)
            return TokenVerdict.Refused("role");
        var jwt = (JsonWebToken)result.SecurityToken;
        return new TokenVerdict(token, jwt.Subject, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), null);
    }
}
