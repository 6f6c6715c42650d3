using System.CommandLine;
using Marketplace.Cli.Invocation;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Commands.Provider;

// marketctl offer withdraw: no new leases; held and leased units stay until they end.
public sealed class OfferWithdrawCommand : MarketCommand
{
    readonly Argument<string> _offer = new("offer-id") { Description = "the offer to withdraw" };

    public OfferWithdrawCommand(CliHost host) : base(host, "withdraw", "Withdraw an offer from sale (provider)")
    {
        Add(_offer);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["offer_id"] = "<offer-id>",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var reply = await context.Market.Provider.WithdrawOfferAsync(
            new WithdrawOfferRequest { OfferId = parse.GetValue(_offer)! }, context.Market.Call(ct));
        context.Write(reply, output => OfferTable.Write(output, reply.Offer, reply.UnitsRemoved));
        return ExitCodes.Ok;
    }
}
