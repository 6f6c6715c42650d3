using System.CommandLine;
using Marketplace.Broker.V1;
using Marketplace.Cli.Invocation;

namespace Marketplace.Cli.Commands.Exchange;

// marketctl bid cancel: takes an open bid out of the auctions to come.
public sealed class BidCancelCommand : MarketCommand
{
    readonly Argument<string> _bid = new("bid-id") { Description = "the bid to cancel" };

    public BidCancelCommand(CliHost host) : base(host, "cancel", "Cancel an open bid (tenant)") => Add(_bid);

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string> { ["bid_id"] = "<bid-id>" };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var bid = await context.Market.Exchange.CancelBidAsync(new CancelBidRequest { BidId = parse.GetValue(_bid)! }, context.Market.Call(ct));
        context.Write(bid, output => BidTable.Write(output, [bid]));
        return ExitCodes.Ok;
    }
}
