using System.CommandLine;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Parsing;

namespace Marketplace.Cli.Demo;

// marketctl demo: a scripted day on the seeded market. Run the services with an accelerated clock
// (MARKET_CLOCK_SPEED=3600: an hour a second) and the same signing key as MARKET_SIGNING_KEY.
public sealed class DemoCommand : MarketCommand
{
    readonly DurationOption _timeout = new("--timeout",
        "how long to wait for the leases to run and be billed", TimeSpan.FromMinutes(3));

    public DemoCommand(CliHost host) : base(host, "demo",
        "Play a day on the seeded market: three SMEs quote, lease, run and are invoiced; a voucher helps one")
    {
        Add(_timeout);
    }

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var day = await new DemoDay(context, _timeout.ValueIn(parse)).RunAsync(ct);
        context.WriteSummary(day, output => DemoSummaryText.Write(output, day));
        if (day.Complete)
            return ExitCodes.Ok;
        context.Err.WriteLine("error: timed out before every lease had ended and been billed; is the market clock accelerated?");
        return ExitCodes.Failure;
    }
}
