using Marketplace.Testing.Market;

namespace Marketplace.Cli.Tests;

// Runs marketctl in-process against the test market (or another broker of it), as someone, with a profile
// of its own.
public sealed class Marketctl(MarketUnderTest market, string folder, RunningService? broker = null)
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public string ProfilePath { get; } = Path.Combine(folder, "profile.json");

    public Dictionary<string, string?> Environment => new()
    {
        ["MARKET_PROVIDER"] = market.Provider.Address.ToString(),
        ["MARKET_BROKER"] = (broker ?? market.Broker).Address.ToString(),
        ["MARKET_BILLING"] = market.Billing.Address.ToString(),
        ["MARKETCTL_PROFILE"] = ProfilePath,
        ["MARKET_SIGNING_KEY"] = MarketUnderTest.SigningKey,
    };

    public Task<CliRun> AsAsync(string role, string subject, params string[] args) =>
        RunAsync(MarketUnderTest.TokenFor(role, subject), args);

    public async Task<CliRun> RunAsync(string? token, params string[] args)
    {
        var environment = Environment;
        environment["MARKET_TOKEN"] = token;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var limit = new CancellationTokenSource(Limit);
        var code = await Cli.RunAsync(args, stdout, stderr, environment, limit.Token);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }
}
