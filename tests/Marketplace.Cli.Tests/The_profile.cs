using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class The_profile(CliMarket fixture)
{
    [Fact]
    public async Task Keeps_addresses_and_the_billing_cursor_and_only_its_owner_may_read_it()
    {
        var cli = fixture.Cli();

        (await cli.RunAsync(null, "profile", "set", "--broker-address", "http://10.0.0.7:5102", "--cursor", "1700000000000-0")).Succeeded();
        var shown = (await cli.RunAsync(null, "profile", "show", "-o", "json")).Succeeded().Json();

        Assert.Equal("1700000000000-0", shown.GetProperty("billingCursor").GetString());
        Assert.StartsWith(fixture.Market.Broker.Address.ToString(), shown.GetProperty("broker").GetString()); // MARKET_BROKER wins
        Assert.Contains("10.0.0.7", File.ReadAllText(cli.ProfilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ProfilePath));
    }

    [Fact]
    public async Task Refuses_an_address_that_is_not_http()
    {
        var run = await fixture.Cli().RunAsync(null, "profile", "set", "--provider-address", "ftp://somewhere");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--provider-address", run.Err);
    }

    [Fact]
    public async Task Billing_watch_resumes_from_the_saved_cursor()
    {
        var cli = fixture.Cli();
        (await cli.RunAsync(null, "profile", "set", "--cursor", "9999999999999-0")).Succeeded();

        var run = await cli.AsAsync(MarketRoles.Operator, "ops", "billing", "watch", "--for", "1s", "-o", "json");

        run.Succeeded();
        Assert.Contains("after 9999999999999-0", run.Err);
        Assert.Empty(run.JsonLines());
    }
}
