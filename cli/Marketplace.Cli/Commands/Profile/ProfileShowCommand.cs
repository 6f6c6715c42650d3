using System.CommandLine;
using Marketplace.Cli.Connection;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Commands.Profile;

// marketctl profile show: what the next command will use, and where each value comes from. The token is
// shown only as who it names.
public sealed class ProfileShowCommand : MarketCommand
{
    public ProfileShowCommand(CliHost host) : base(host, "show", "Show the profile and the settings in effect")
    {
    }

    protected override Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var addresses = MarketAddresses.Resolve(context.Terminal, context.Profile);
        var who = context.Identity;
        var shown = new
        {
            path = context.Profiles.Path,
            token = who is null ? (context.Token is null ? "none" : "unreadable") : $"{who.Role} {who.Subject}, expires {Cells.Time(who.ExpiresAt)}",
            tokenFrom = context.Terminal.Variable("MARKET_TOKEN") is not null ? "MARKET_TOKEN" : context.Profile.Token is not null ? "profile" : "none",
            provider = addresses.Provider.ToString(),
            broker = addresses.Broker.ToString(),
            billing = addresses.Billing.ToString(),
            billingCursor = context.Profile.BillingCursor ?? "",
        };
        context.WriteSummary(shown, output => new Table("SETTING", "VALUE")
            .Add("profile", shown.path)
            .Add("token", $"{shown.token} (from {shown.tokenFrom})")
            .Add("provider", shown.provider)
            .Add("broker", shown.broker)
            .Add("billing", shown.billing)
            .Add("billing cursor", shown.billingCursor)
            .WriteTo(output));
        return Task.FromResult(ExitCodes.Ok);
    }
}
