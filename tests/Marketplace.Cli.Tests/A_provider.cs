using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;

namespace Marketplace.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class A_provider(CliMarket fixture)
{
    [Fact]
    public async Task Registers_a_site_publishes_changes_and_withdraws_an_offer_and_sees_its_utilisation()
    {
        var cli = fixture.Cli();
        var provider = CliMarket.Unique("karst-cloud");
        var site = $"{provider}-guiyang";
        Task<CliRun> Run(params string[] args) => cli.AsAsync(MarketRoles.Provider, provider, args);

        var registered = (await Run("dc", "register", site, "--name", "Karst Cloud Guiyang", "--region", "guizhou",
            "--hub", "guizhou", "--city", "Guiyang", "--lat", "26.6", "--lon", "106.6", "--pue", "1.15",
            "--green-share", "0.5", "--power-price", "0.35", "-o", "json")).Succeeded().Json();
        Assert.Equal(provider, registered.GetProperty("providerId").GetString());

        var opens = Sample.NextHour(fixture.Now);
        var offer = (await Run("offer", "publish", "--dc", site, "--model", "H20", "--count", "64", "--price", "0.90",
            "--start", Sample.Time(opens), "--for", "3d", "-o", "json")).Succeeded().Json();
        var offerId = offer.GetProperty("id").GetString()!;
        var republished = (await Run("offer", "publish", "--dc", site, "--model", "H20", "--count", "64", "--price", "0.90",
            "--start", Sample.Time(opens), "--for", "3d", "-o", "json")).Succeeded().Json();
        Assert.Equal(offerId, republished.GetProperty("id").GetString());

        // A tenant leases 16 of the 64 for 4 hours at this (cheapest) site.
        var tenant = CliMarket.Unique("render");
        // The broker learns of the offer from its CapacityChanged: quote until it is there.
        var ours = await Eventually.GetAsync<string>(async () =>
        {
            var quote = await cli.AsAsync(MarketRoles.Tenant, tenant, "quote", "--workload", "batch", "--model", "H20",
                "--hours", "64", "-n", "16", "--ceiling", "0.90", "--region", "guizhou", "--start", Sample.Time(opens.AddDays(1)),
                "-o", "json");
            return quote.ExitCode != 0 ? null : quote.Json().GetProperty("options").EnumerateArray()
                .Where(o => o.GetProperty("placements")[0].GetProperty("offerId").GetString() == offerId)
                .Select(o => o.GetProperty("id").GetString()).FirstOrDefault();
        }, "a quote with the new offer");
        (await cli.AsAsync(MarketRoles.Tenant, tenant, "accept", ours)).Succeeded();

        var utilisation = (await Run("utilisation", "-o", "json")).Succeeded().Json();
        var row = utilisation.EnumerateArray().Single(r => r.GetProperty("offerId").GetString() == offerId);
        Assert.Equal(64 * 72, row.GetProperty("published").GetInt64());
        Assert.Equal(16 * 4, row.GetProperty("leased").GetInt64());
        Assert.True(row.GetProperty("utilisation").GetDouble() > 0);
        Assert.Contains(offerId, (await Run("utilisation")).Succeeded().Out);

        var changed = (await Run("offer", "change", offerId, "--count", "32", "--price", "1.10", "-o", "json")).Succeeded().Json();
        Assert.Equal(32, changed.GetProperty("offer").GetProperty("count").GetInt32());
        Assert.Equal(32, changed.GetProperty("unitsRemoved").GetInt32());

        var withdrawn = (await Run("offer", "withdraw", offerId, "-o", "json")).Succeeded().Json();
        Assert.Equal("OFFER_STATE_WITHDRAWN", withdrawn.GetProperty("offer").GetProperty("state").GetString());
        Assert.Contains("units removed", (await Run("offer", "withdraw", offerId)).Succeeded().Out);
    }
}
