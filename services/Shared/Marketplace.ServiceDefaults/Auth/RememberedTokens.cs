using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.ServiceDefaults.Auth;

// Checking a token (parse, HMAC, claims) costs more than a cheap call itself, and a caller sends the
// same token on every call of its life: a token found valid is remembered until it expires. Only valid
// tokens are kept, at most `capacity` of them (forgotten all at once when full: a flood of new tokens
// costs validation, never memory).
public sealed class RememberedTokens(TokenHandler inner, TimeProvider clock, int capacity = 10_000) : TokenHandler
{
    readonly ConcurrentDictionary<string, TokenValidationResult> _valid = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_valid.TryGetValue(token, out var known))
        {
            if (known.SecurityToken.ValidTo > clock.GetUtcNow().UtcDateTime)
                return known;
            _valid.TryRemove(token, out _);
        }
        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid)
        {
            if (_valid.Count >= capacity)
                _valid.Clear();
            _valid[token] = result;
        }
        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);
}
