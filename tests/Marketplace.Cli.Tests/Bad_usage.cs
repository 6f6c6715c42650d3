using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class Bad_usage(CliMarket fixture)
{
    [Fact]
    public async Task A_value_the_parser_refuses_exits_2_naming_the_option()
    {
        var run = await fixture.Cli().AsAsync(MarketRoles.Tenant, "acme", "quote", "--workload", "overnight", "-n", "1");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("overnight", run.Err);
        Assert.Contains("see 'marketctl quote --help'", run.Err);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task A_field_the_service_refuses_exits_2_naming_the_field_and_its_option()
    {
        var run = await fixture.Cli().AsAsync(MarketRoles.Tenant, "acme", "quote", "--workload", "inference", "--model", "H20",
            "--hours", "8", "-n", "1", "--latency", "10", "--users-region", "atlantis");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("error: invalid argument: users_region_id: unknown region 'atlantis'", run.Err);
        Assert.Contains("field: users_region_id (set with --users-region)", run.Err);
    }

    [Fact]
    public async Task A_bad_duration_exits_2_naming_the_option()
    {
        var run = await fixture.Cli().RunAsync(null, "dev", "token", "--role", "tenant", "--subject", "acme", "--lifetime", "soon");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--lifetime: 'soon' is not a duration", run.Err);
    }

    [Fact]
    public async Task An_unknown_lease_exits_3()
    {
        var run = await fixture.Cli().AsAsync(MarketRoles.Tenant, "acme", "leases", "lease-that-never-was");

        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Contains("not found", run.Err);
    }

    [Fact]
    public async Task No_token_exits_4_and_says_how_to_get_one()
    {
        var run = await fixture.Cli().RunAsync(null, "leases", "--tenant", "acme");

        Assert.Equal(ExitCodes.Denied, run.ExitCode);
        Assert.Contains("unauthenticated", run.Err);
        Assert.Contains("marketctl dev token", run.Err);
    }

    [Fact]
    public async Task Acting_for_another_tenant_exits_4()
    {
        var run = await fixture.Cli().AsAsync(MarketRoles.Tenant, "acme", "leases", "--tenant", "someone-else");

        Assert.Equal(ExitCodes.Denied, run.ExitCode);
        Assert.Contains("permission denied", run.Err);
    }

    [Fact]
    public async Task A_command_that_needs_a_tenant_says_so_when_the_token_names_none()
    {
        var run = await fixture.Cli().AsAsync(MarketRoles.Operator, "ops", "leases");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--tenant is required", run.Err);
    }

    [Fact]
    public async Task A_service_that_does_not_answer_exits_6()
    {
        var cli = fixture.Cli();
        var environment = cli.Environment;
        environment["MARKET_BROKER"] = "http://127.0.0.1:9";
        environment["MARKET_TOKEN"] = Marketplace.Testing.Market.MarketUnderTest.TokenFor(MarketRoles.Tenant, "acme");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await Cli.RunAsync(["leases", "--request-timeout", "3s"], stdout, stderr, environment, CancellationToken.None);

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.Contains("is the service running?", stderr.ToString());
    }
}
