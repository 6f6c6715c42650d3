using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Marketplace.Cli.Commands.Dev;
using Marketplace.Cli.Commands.Exchange;
using Marketplace.Cli.Commands.Operator;
using Marketplace.Cli.Commands.Profile;
using Marketplace.Cli.Commands.Provider;
using Marketplace.Cli.Commands.Tenant;
using Marketplace.Cli.Demo;
using Marketplace.Cli.Invocation;

namespace Marketplace.Cli;

// marketctl's command tree and one run of it, with its own streams and environment so tests can
// call it in-process exactly as the shell does.
public static class Cli
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        IDictionary<string, string?> environment, CancellationToken ct)
    {
        var host = new CliHost(new Terminal(stdout, stderr, environment), new GlobalOptions());
        var parse = Build(host).Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
                stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine($"see '{string.Join(' ', CommandPath(parse))} --help'");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // Program.Main owns Ctrl-C
            }, ct);
        }
        catch (Exception failure)
        {
            return ErrorReport.Write(failure, stderr, _ => null);
        }
    }

    public static Command Build(CliHost host)
    {
        var root = new CommandGroup("marketctl",
            "The compute marketplace from the command line: tenants quote and lease accelerator-hours, " +
            "providers publish capacity, operators watch billing.",
            // tenants
            new QuoteCommand(host),
            new AcceptCommand(host),
            new LeasesCommand(host),
            new CancelCommand(host),
            new InvoiceCommand(host),
            new CommandGroup("bid", "Bids in the exchange's call auction (tenant)",
                new BidPlaceCommand(host), new BidCancelCommand(host), new BidListCommand(host)),
            new BookCommand(host),
            new AuctionsCommand(host),
            // providers
            new CommandGroup("dc", "Data centers (provider)", new DataCenterRegisterCommand(host)),
            new CommandGroup("offer", "Offers of accelerator-hours (provider)",
                new OfferPublishCommand(host), new OfferChangeCommand(host), new OfferWithdrawCommand(host)),
            new UtilisationCommand(host),
            new CommandGroup("outage", "Outages: a site or offer down (provider)",
                new OutageReportCommand(host), new OutageEndCommand(host), new OutageListCommand(host)),
            // operators
            new CommandGroup("billing", "Billing events (operator)", new BillingWatchCommand(host)),
            new CommandGroup("vouchers", "Compute-voucher programs (operator)",
                new VoucherCreateCommand(host), new VoucherGrantCommand(host), new VoucherShowCommand(host)),
            new CommandGroup("invoices", "Billing periods and their invoices (operator)", new InvoicesCloseCommand(host)),
            new ReportCommand(host),
            // everyone
            new DemoCommand(host),
            new CommandGroup("dev", "Development helpers", new DevTokenCommand(host)),
            new CommandGroup("profile", "Token and addresses kept in ~/.config/marketctl/profile.json",
                new ProfileSetCommand(host), new ProfileShowCommand(host)));
        root.Add(new HelpOption());
        root.Add(new VersionOption());
        host.Options.AddTo(root);
        return root;
    }

    static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var path = new Stack<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            path.Push(result.Command.Name);
        return path;
    }
}
