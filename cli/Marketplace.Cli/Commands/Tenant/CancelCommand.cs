using System.CommandLine;
using Marketplace.Broker.V1;
using Marketplace.Cli.Invocation;

namespace Marketplace.Cli.Commands.Tenant;

// marketctl cancel: before the start the capacity goes back; after it the lease ends now, billed up to then.
public sealed class CancelCommand : MarketCommand
{
    readonly Argument<string> _lease = new("lease-id") { Description = "the lease to cancel" };
    readonly Option<string> _reason = new("--reason") { Description = "why, for the record", DefaultValueFactory = _ => "cancelled with marketctl" };

    public CancelCommand(CliHost host) : base(host, "cancel", "Cancel a lease, or end it early once started (tenant)")
    {
        Add(_lease);
        Add(_reason);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["lease_id"] = "<lease-id>",
        ["reason"] = "--reason",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var lease = await context.Market.Broker.CancelLeaseAsync(new CancelLeaseRequest
        {
            LeaseId = parse.GetValue(_lease)!,
            Reason = parse.GetValue(_reason)!,
        }, context.Market.Call(ct));
        context.Write(lease, output => LeaseTable.Write(output, [lease]));
        return ExitCodes.Ok;
    }
}
