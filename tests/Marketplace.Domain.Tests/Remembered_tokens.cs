using Marketplace.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.Domain.Tests;

public sealed class Remembered_tokens
{
    static readonly AuthOptions Options = new() { SigningKey = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 7)).ToArray()) };
    static readonly TokenValidationParameters Validation = TokenIssuer.Validation(Options);

    // Counts the validations that reach the real handler.
    sealed class CountingHandler : JsonWebTokenHandler
    {
        public int Validations;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters parameters)
        {
            Interlocked.Increment(ref Validations);
            return base.ValidateTokenAsync(token, parameters);
        }
    }

    [Fact]
    public async Task Validates_a_token_once_and_answers_from_memory_until_it_expires()
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new HandTurnedTime(now);
        var inner = new CountingHandler();
        var tokens = new RememberedTokens(inner, clock);
        var token = new TokenIssuer(Options).Issue(MarketRoles.Tenant, "tenant-a", TimeSpan.FromMinutes(10));

        for (var i = 0; i < 5; i++)
            Assert.True((await tokens.ValidateTokenAsync(token, Validation)).IsValid);
        Assert.Equal(1, inner.Validations);

        clock.Advance(TimeSpan.FromMinutes(11)); // past its expiry: asked again, not answered from memory
        await tokens.ValidateTokenAsync(token, Validation);
        Assert.Equal(2, inner.Validations);
    }

    [Fact]
    public async Task Never_remembers_a_token_that_failed()
    {
        var inner = new CountingHandler();
        var tokens = new RememberedTokens(inner, TimeProvider.System);
        var token = new TokenIssuer(Options).Issue(MarketRoles.Tenant, "tenant-a", TimeSpan.FromMinutes(10));
        var forged = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");

        for (var i = 0; i < 3; i++)
            Assert.False((await tokens.ValidateTokenAsync(forged, Validation)).IsValid);
        Assert.Equal(3, inner.Validations);
    }

    [Fact]
    public async Task Forgets_everything_when_full_rather_than_grow()
    {
        var inner = new CountingHandler();
        var tokens = new RememberedTokens(inner, TimeProvider.System, capacity: 3);
        var issuer = new TokenIssuer(Options);
        var first = issuer.Issue(MarketRoles.Tenant, "tenant-0", TimeSpan.FromMinutes(10));
        await tokens.ValidateTokenAsync(first, Validation);
        for (var i = 1; i <= 3; i++)
            await tokens.ValidateTokenAsync(issuer.Issue(MarketRoles.Tenant, $"tenant-{i}", TimeSpan.FromMinutes(10)), Validation);

        await tokens.ValidateTokenAsync(first, Validation); // forgotten when the fourth came in
        Assert.Equal(5, inner.Validations);
    }
}
