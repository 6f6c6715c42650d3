using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class A_tenant(CliMarket fixture)
{
    [Fact]
    public async Task Quotes_accepts_lists_cancels_and_is_invoiced()
    {
        var cli = fixture.Cli();
        var tenant = CliMarket.Unique("acme");
        Task<CliRun> Run(params string[] args) => cli.AsAsync(MarketRoles.Tenant, tenant, args);

        // A job that runs now (2 hours of 4 H20s), and one two market days ahead to cancel before it starts.
        var soon = (await Run("quote", "--workload", "batch", "--model", "H20", "--hours", "8", "-n", "4",
            "--start", Sample.Time(fixture.Now), "-o", "json")).Succeeded().Json();
        var later = (await Run("quote", "--workload", "batch", "--model", "H20", "--hours", "8", "-n", "4",
            "--start", Sample.Time(fixture.Now.AddDays(2)), "-o", "json")).Succeeded().Json();
        var soonQuote = soon.GetProperty("options")[0].GetProperty("id").GetString()!;
        var laterQuote = later.GetProperty("options")[0].GetProperty("id").GetString()!;

        var running = (await Run("accept", soonQuote, "-o", "json")).Succeeded().Json();
        var toCancel = (await Run("accept", laterQuote, "-o", "json")).Succeeded().Json();
        var again = (await Run("accept", laterQuote, "-o", "json")).Succeeded().Json();
        Assert.Equal(toCancel.GetProperty("id").GetString(), again.GetProperty("id").GetString());

        var listed = (await Run("leases")).Succeeded();
        Assert.Contains(running.GetProperty("id").GetString()!, listed.Out);
        Assert.Contains("scheduled", listed.Out);
        var leases = (await Run("leases", "-o", "json")).Succeeded().Json();
        Assert.Equal(2, leases.GetArrayLength());

        var cancelled = (await Run("cancel", toCancel.GetProperty("id").GetString()!, "-o", "json")).Succeeded().Json();
        Assert.Equal("LEASE_STATE_CANCELLED", cancelled.GetProperty("state").GetString());
        var twice = await Run("cancel", toCancel.GetProperty("id").GetString()!);
        Assert.Equal(ExitCodes.Refused, twice.ExitCode);
        Assert.Contains("already cancelled", twice.Err);

        await Billed.HoursAsync(fixture, tenant, 8);
        var window = running.GetProperty("window");
        var invoice = (await Run("invoice", "--from", window.GetProperty("start").GetString()!,
            "--to", window.GetProperty("end").GetString()!, "-o", "json")).Succeeded().Json();
        Assert.Equal(tenant, invoice.GetProperty("tenantId").GetString());
        Assert.True(decimal.Parse(invoice.GetProperty("total").GetProperty("units").GetString()!) > 0, invoice.ToString());
        var table = (await Run("invoice", "--from", window.GetProperty("start").GetString()!,
            "--to", window.GetProperty("end").GetString()!)).Succeeded();
        Assert.Contains(running.GetProperty("id").GetString()!, table.Out);
    }

    [Fact]
    public async Task Sees_quotes_as_a_table_with_the_cheaper_sites_left_out()
    {
        var run = (await fixture.Cli().AsAsync(MarketRoles.Tenant, CliMarket.Unique("table"), "quote", "--workload", "inference",
            "--model", "H20", "--hours", "16", "-n", "4", "--latency", "10", "--users-region", "shanghai")).Succeeded();

        Assert.Contains("RANK", run.Out);
        Assert.Contains("yangtze-river-delta", run.Out);
        Assert.Contains("Cheaper sites left out:", run.Out);
        Assert.Contains("> limit 10 ms", run.Out);
    }
}
