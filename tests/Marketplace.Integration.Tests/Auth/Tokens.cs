using System.Security.Claims;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.Integration.Tests.Auth;

// Good and bad tokens for the authorisation matrix.
static class Tokens
{
    public static string Valid(string role, string subject) => MarketUnderTest.TokenFor(role, subject);

    public static string Expired(string role, string subject) =>
        new TokenIssuer(new AuthOptions { SigningKey = MarketUnderTest.SigningKey }, new PastClock()).Issue(role, subject, TimeSpan.FromMinutes(5));

    public static string WrongSignature(string role, string subject) =>
        new TokenIssuer(new AuthOptions { SigningKey = Convert.ToBase64String(new byte[48]) }).Issue(role, subject, TimeSpan.FromHours(1));

    // Signed correctly, but with a role the market does not know.
    public static string UnknownRole(string subject) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "marketplace",
            Audience = "marketplace",
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", "guest")]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(MarketUnderTest.SigningKey)), SecurityAlgorithms.HmacSha256),
        });

    sealed class PastClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddHours(-2);
    }
}
