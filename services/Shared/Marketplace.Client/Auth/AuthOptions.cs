namespace Marketplace.ServiceDefaults.Auth;

// Tokens are HS256 JWTs signed with one key every service shares (Auth:SigningKey, base64, >= 32 bytes).
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string? SigningKey { get; set; }
    public string Issuer { get; set; } = "marketplace";
    public string Audience { get; set; } = "marketplace";

    public byte[] KeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
            throw new InvalidOperationException(
                "Auth:SigningKey is not set: give every service the same base64 key of at least 32 bytes " +
                "(deploy/local/market.sh run makes one for development)");
        var key = Convert.FromBase64String(SigningKey);
        return key.Length >= 32 ? key : throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes");
    }
}
