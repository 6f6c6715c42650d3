using System.Text.Json;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;

namespace Marketplace.Cli.Tests;

// `market.sh install-cli` gives a marketctl that runs on its own, against the market, and carries only
// the contract and the client library: no ASP.NET Core, no bus, no Redis.
[Collection(CliCollection.Name)]
public sealed class Marketctl_as_a_tool(CliMarket market, InstalledMarketctl tool) : IClassFixture<InstalledMarketctl>
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Installs_and_shows_its_help()
    {
        Assert.Contains($"installed in {tool.ToolPath}", tool.Install.Succeeded().Out);

        var help = (await Shell.RunAsync(tool.Executable, ["--help"], new Dictionary<string, string?>(), Limit)).Succeeded();

        Assert.Contains("Usage:", help.Out);
        Assert.Contains("marketctl [command] [options]", help.Out);
        Assert.Contains("quote", help.Out);
    }

    [Fact]
    public async Task Reads_the_order_book_of_the_running_market()
    {
        tool.Install.Succeeded();
        var environment = market.Cli().Environment;
        environment["MARKET_TOKEN"] = MarketUnderTest.TokenFor(MarketRoles.Tenant, CliMarket.Unique("tool-user"));

        var book = (await Shell.RunAsync(tool.Executable, ["book", "--hours", "2"], environment, Limit)).Succeeded();

        Assert.Contains("H20", book.Out); // a seeded offer's asks
        Assert.Contains("open bids", book.Out);
    }

    [Fact]
    public void Carries_no_ASP_NET_Core_bus_or_Redis()
    {
        tool.Install.Succeeded();
        var deps = File.ReadAllText(tool.File("marketctl.deps.json"));
        var framework = JsonDocument.Parse(File.ReadAllText(tool.File("marketctl.runtimeconfig.json")))
            .RootElement.GetProperty("runtimeOptions").GetProperty("framework").GetProperty("name").GetString();

        Assert.Equal("Microsoft.NETCore.App", framework);
        Assert.Contains("Marketplace.Client", deps);
        Assert.Contains("Marketplace.Protos", deps);
        foreach (var server in new[] { "Microsoft.AspNetCore", "Grpc.AspNetCore", "MassTransit", "RabbitMQ.Client", "StackExchange.Redis", "Marketplace.ServiceDefaults" })
            Assert.DoesNotContain(server, deps, StringComparison.OrdinalIgnoreCase);
    }
}
