using System.CommandLine;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Marketplace.Broker.V1;
using Marketplace.Cli.Commands.Tenant;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Parsing;
using Marketplace.Common.V1;

namespace Marketplace.Cli.Commands.Exchange;

// marketctl bid place: a bid for the next call auction, or standing until a time.
public sealed class BidPlaceCommand : MarketCommand
{
    readonly DemandOptions _demand = new();
    readonly Option<decimal> _limit = new("--limit") { Description = "the most per accelerator-hour (per PFLOPS-hour with --pflops-hours)", Required = true };
    readonly Option<string> _currency = new("--currency") { Description = "currency of --limit", DefaultValueFactory = _ => "CNY" };
    readonly Option<bool> _divisible = new("--divisible") { Description = "batch or inference: may be filled in part" };
    readonly TimeOption _standUntil = new("--stand-until", "stand in every auction until then (default: the next auction only)");
    readonly Option<string?> _requestId = new("--request-id") { Description = "retry-safe id of this bid (default: a new one)" };

    public BidPlaceCommand(CliHost host) : base(host, "place", "Bid in the exchange's call auction (tenant)")
    {
        _demand.AddTo(this);
        foreach (var option in new Option[] { _limit, _currency, _divisible, _standUntil, _requestId })
            Add(option);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } =
        new Dictionary<string, string>(DemandOptions.FieldOptions("demand."))
        {
            ["limit_price"] = "--limit", ["stand_until"] = "--stand-until", ["request_id"] = "--request-id",
        };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var request = new PlaceBidRequest
        {
            RequestId = parse.GetValue(_requestId) ?? Guid.NewGuid().ToString("N"),
            Demand = _demand.Request(context, parse),
            LimitPrice = Money.FromDecimal(parse.GetValue(_limit), parse.GetValue(_currency)!),
            Divisible = parse.GetValue(_divisible),
            StandUntil = parse.GetValue(_standUntil) is { } until ? Timestamp.FromDateTimeOffset(until) : null,
        };
        var bid = await context.Market.Exchange.PlaceBidAsync(request, context.Market.Call(ct));
        context.Write(bid, output => BidTable.Write(output, [bid]));
        return ExitCodes.Ok;
    }
}
