using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Marketplace.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class Dev_tokens(CliMarket fixture)
{
    [Fact]
    public async Task Are_signed_with_the_market_key_for_a_role_a_subject_and_a_lifetime()
    {
        var run = (await fixture.Cli().RunAsync(null, "dev", "token", "--role", "provider", "--subject", "karst-cloud",
            "--lifetime", "8h")).Succeeded();
        var token = run.Out.Trim();

        var checkedToken = await new JsonWebTokenHandler().ValidateTokenAsync(token,
            TokenIssuer.Validation(new AuthOptions { SigningKey = MarketUnderTest.SigningKey }));

        Assert.True(checkedToken.IsValid, checkedToken.Exception?.Message);
        Assert.Equal("provider", checkedToken.Claims[TokenIssuer.RoleClaim]);
        Assert.Equal("karst-cloud", checkedToken.Claims[TokenIssuer.SubjectClaim]);
        var expires = new JsonWebToken(token).ValidTo;
        Assert.InRange(expires, DateTime.UtcNow.AddHours(7.9), DateTime.UtcNow.AddHours(8.1));
    }

    [Fact]
    public async Task Work_against_the_market_from_the_profile()
    {
        var cli = fixture.Cli();
        (await cli.RunAsync(null, "dev", "token", "--role", "tenant", "--subject", "profiled-sme", "--save")).Succeeded();

        var environment = cli.Environment; // no MARKET_TOKEN: the profile's token is used
        using var stdout = new StringWriter();
        var code = await Cli.RunAsync(["leases", "-o", "json"], stdout, TextWriter.Null, environment, CancellationToken.None);
        var shown = (await cli.RunAsync(null, "profile", "show", "-o", "json")).Succeeded().Json();

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("[]", stdout.ToString().Trim());
        Assert.Equal("tenant profiled-sme", shown.GetProperty("token").GetString()!.Split(',')[0]);
    }

    [Fact]
    public async Task Need_the_signing_key()
    {
        var cli = fixture.Cli();
        var environment = cli.Environment;
        environment.Remove("MARKET_SIGNING_KEY");
        using var stderr = new StringWriter();

        var code = await Cli.RunAsync(["dev", "token", "--role", "tenant", "--subject", "x"], TextWriter.Null, stderr,
            environment, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("MARKET_SIGNING_KEY is not set", stderr.ToString());
    }

    [Fact]
    public async Task Json_output_parses()
    {
        var json = (await fixture.Cli().RunAsync(null, "dev", "token", "--role", "operator", "--subject", "ops", "-o", "json"))
            .Succeeded().Json();

        Assert.Equal("operator", json.GetProperty("role").GetString());
        Assert.StartsWith("ey", json.GetProperty("token").GetString());
    }
}
