using System.Diagnostics;
using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Xunit.Abstractions;
using static Marketplace.Cli.Tests.Readme.ReadmeExamples;

namespace Marketplace.Cli.Tests.Readme;

// Every command the README shows, run as written against a market started as `market.sh run` starts it:
// grpcurl lines (through a stand-in where grpcurl is not installed), the curl block over HTTP/JSON with
// real curl, and every marketctl example, in the README's order, each id an example needs taken from what
// an earlier one printed. The tokens are run's: an operator `ops`, a tenant `acme-ai`, a provider
// `tencent-cloud`. An example that stops working fails here; only what starts or builds the market itself
// is left out, by name.
public sealed class Every_readme_example(ReadmeMarket fixture, ITestOutputHelper output) : IClassFixture<ReadmeMarket>
{
    // What the README writes where an id printed by an earlier command goes, and how to find that id.
    static readonly (string Kind, Regex Printed, Regex InReadme)[] Ids =
    [
        ("quote", new(@"\b[0-9a-f]{32}-\d+\b"), new(@"\b[0-9a-f]{32}-\d+\b")),
        ("lease", new(@"\blease-[0-9a-f]{6,}(-\d+)?\b"), new(@"\blease-(…|[0-9a-f]{6,}(-\d+)?\b)")),
        ("bid", new(@"\bbid-[0-9a-f]{6,}\b"), new(@"\bbid-(…|[0-9a-f]{6,}\b)")),
        ("voucher program", new(@"\bvp-[0-9a-f]{6,}\b"), new(@"\bvp-[0-9a-f]{6,}\b")),
        ("offer", new(@"\bkarst-guiyang-h20-[0-9a-f]{6,}\b"), new(@"\bkarst-guiyang-h20-[0-9a-f]{6,}\b")),
        ("outage", new(@"\boutage-[0-9a-f]{16}\b"), new(@"\boutage-(…|[0-9a-f]{16}\b)")),
    ];

    // Commands that run until Ctrl-C: given a few seconds, then stopped as a user would.
    static readonly string[] RunsUntilStopped = ["marketctl billing watch", "marketctl auctions --watch"];

    readonly Dictionary<string, string> _printed = [];

    [Fact]
    public async Task Works_as_written()
    {
        var examples = Read(ReadmeExamples.Path);
        Assert.Contains(examples, e => e.Kind == Kind.Grpcurl);
        Assert.Contains(examples, e => e.Kind == Kind.CurlBlock);
        Assert.True(examples.Count(e => e.Kind == Kind.Marketctl) >= 20, "the marketctl table's examples");

        var failures = new List<string>();
        foreach (var example in examples.Where(e => e.Kind != Kind.Prose))
        {
            if (example.Kind == Kind.RunsTheMarket || example.Text.StartsWith("marketctl demo", StringComparison.Ordinal))
            {
                // market.sh test is CI's own command; run and demo start what this fixture starts (the demo
                // on an accelerated clock: The_demo_day); dotnet build/run build it.
                output.WriteLine($"left out (starts or builds the market): {example}");
                continue;
            }
            var (ok, said) = await RunAsync(example);
            output.WriteLine($"{(ok ? "ok  " : "FAIL")} {example}\n{Indent(said)}");
            if (!ok)
                failures.Add($"{example}\n{Indent(said)}");
        }
        Assert.True(failures.Count == 0, $"README examples that do not work as written:\n{string.Join("\n", failures)}");
    }

    async Task<(bool Ok, string Said)> RunAsync(Example example)
    {
        if (WithIds(Here(example.Text)) is not { } text)
            return (false, "it needs an id that no example before it printed");
        var (ok, said) = example.Kind switch
        {
            Kind.Grpcurl => await GrpcurlAsync(text),
            Kind.CurlBlock => await CurlAsync(text),
            _ => await MarketctlAsync(example.Who, text),
        };
        foreach (var (kind, printed, _) in Ids)
            if (printed.Match(said) is { Success: true } id)
                _printed[kind] = id.Value;
        return (ok, said);
    }

    Dictionary<string, string> Variables => new()
    {
        ["OPERATOR_TOKEN"] = MarketUnderTest.TokenFor(MarketRoles.Operator, "ops"),
        ["TENANT_TOKEN"] = MarketUnderTest.TokenFor(MarketRoles.Tenant, "acme-ai"),
        ["PROVIDER_TOKEN"] = MarketUnderTest.TokenFor(MarketRoles.Provider, "tencent-cloud"),
    };

    async Task<(bool, string)> GrpcurlAsync(string line)
    {
        var words = ShellWords.Parse(line, Variables).Words;
        var result = await GrpcurlStandIn.RunAsync(words.Skip(1).ToList(), CancellationToken.None);
        return (result.ExitCode == 0 && result.Output.Length > 2, result.Output);
    }

    // The block as one bash script, its curl checked: any HTTP status >= 300 fails the script.
    async Task<(bool, string)> CurlAsync(string block)
    {
        const string strictCurl = """
            curl() {
              local body code; body=$(mktemp)
              code=$(command curl -sS -o "$body" -w '%{http_code}' "$@") || { cat "$body"; return 1; }
              cat "$body"; echo; rm -f "$body"
              [ "$code" -lt 300 ] || { echo "HTTP $code" >&2; exit 1; }
            }
            set -euo pipefail
            """;
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in Variables)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(strictCurl + "\n" + block + "\n");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode == 0, await stdout + await stderr);
    }

    async Task<(bool, string)> MarketctlAsync(string who, string line)
    {
        var command = ShellWords.Parse(line, Variables);
        Assert.Equal("marketctl", command.Words[0]);
        var environment = new Dictionary<string, string?>
        {
            ["MARKET_PROVIDER"] = fixture.Market.Provider.Address.ToString(),
            ["MARKET_BROKER"] = fixture.Market.Broker.Address.ToString(),
            ["MARKET_BILLING"] = fixture.Market.Billing.Address.ToString(),
            ["MARKETCTL_PROFILE"] = fixture.ProfilePath,
            ["MARKET_TOKEN"] = who switch
            {
                "tenant" or "anyone signed in" => Variables["TENANT_TOKEN"],
                "provider" => Variables["PROVIDER_TOKEN"],
                "operator" => Variables["OPERATOR_TOKEN"],
                _ => null,
            },
        };
        foreach (var (name, value) in command.Environment) // MARKET_SIGNING_KEY=… is the services' key
            environment[name] = value == "…" && name == "MARKET_SIGNING_KEY" ? MarketUnderTest.SigningKey : value;

        var untilStopped = RunsUntilStopped.Any(line.StartsWith);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var limit = new CancellationTokenSource(untilStopped ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(60));
        var code = await Cli.RunAsync(command.Words.Skip(1).ToArray(), stdout, stderr, environment, limit.Token);
        var ok = code == 0 || untilStopped && code == ExitCodes.Cancelled;
        return (ok, $"exit {code}\n{stdout}{stderr}");
    }

    string Here(string text) => fixture.Addresses.Aggregate(text, (t, a) => t.Replace(a.Readme, a.Here, StringComparison.Ordinal));

    string? WithIds(string text)
    {
        foreach (var (kind, _, inReadme) in Ids)
        {
            if (inReadme.IsMatch(text) && !_printed.ContainsKey(kind))
                return null;
            text = inReadme.Replace(text, _ => _printed[kind]);
        }
        return text;
    }

    static string Indent(string text) => string.Join('\n', text.TrimEnd().Split('\n').Take(12).Select(l => "      " + l));
}
