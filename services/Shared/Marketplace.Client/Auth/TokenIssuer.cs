using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.ServiceDefaults.Auth;

// Mints the market's tokens: a role and the subject's id (tenant, provider, operator or service name).
public sealed class TokenIssuer(AuthOptions options, TimeProvider? clock = null)
{
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";

    readonly SigningCredentials _credentials = new(new SymmetricSecurityKey(options.KeyBytes()), SecurityAlgorithms.HmacSha256);

    public string Issue(string role, string subject, TimeSpan lifetime)
    {
        if (!MarketRoles.All.Contains(role))
            throw new ArgumentException($"unknown role '{role}'", nameof(role));
        var now = (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity([new Claim(SubjectClaim, subject), new Claim(RoleClaim, role)]),
            NotBefore = now.AddMinutes(-1),
            IssuedAt = now,
            Expires = now + lifetime,
            SigningCredentials = _credentials,
        });
    }

    public static TokenValidationParameters Validation(AuthOptions options) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(options.KeyBytes()),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = SubjectClaim,
        RoleClaimType = RoleClaim,
        ClockSkew = TimeSpan.FromSeconds(30),
    };
}
