using System.CommandLine;
using Marketplace.Broker.V1;
using Marketplace.Cli.Invocation;

namespace Marketplace.Cli.Commands.Exchange;

// marketctl bid list: a tenant's bids, newest first, with what the last auction did with each.
public sealed class BidListCommand : MarketCommand
{
    readonly Option<string?> _tenant = new("--tenant") { Description = "tenant id (default: the subject of a tenant's token)" };

    public BidListCommand(CliHost host) : base(host, "list", "List a tenant's bids (tenant)") => Add(_tenant);

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string> { ["tenant_id"] = "--tenant" };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var reply = await context.Market.Exchange.ListBidsAsync(
            new ListBidsRequest { TenantId = context.Tenant(parse.GetValue(_tenant)), PageSize = 200 }, context.Market.Call(ct));
        context.Write(reply, output => BidTable.Write(output, reply.Bids));
        return ExitCodes.Ok;
    }
}
