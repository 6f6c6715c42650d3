using System.CommandLine;
using Marketplace.Cli.Invocation;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Commands.Provider;

// marketctl offer change: a new count, price and/or exchange reserve. Shrinking takes only free capacity.
public sealed class OfferChangeCommand : MarketCommand
{
    readonly Argument<string> _offer = new("offer-id") { Description = "the offer to change" };
    readonly Option<int?> _count = new("--count") { Description = "new accelerators per hourly slot" };
    readonly Option<decimal?> _price = new("--price") { Description = "new price per accelerator-hour" };
    readonly Option<decimal?> _reserve = new("--reserve") { Description = "new least taken in the exchange's auction, at most the price" };
    readonly Option<string> _currency = new("--currency") { Description = "currency of --price and --reserve", DefaultValueFactory = _ => "CNY" };

    public OfferChangeCommand(CliHost host) : base(host, "change", "Change an offer's count, price or reserve (provider)")
    {
        Add(_offer);
        Add(_count);
        Add(_price);
        Add(_reserve);
        Add(_currency);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["offer_id"] = "<offer-id>",
        ["count"] = "--count",
        ["price_per_hour"] = "--price",
        ["reserve_price_per_hour"] = "--reserve",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var request = new ChangeOfferRequest { OfferId = parse.GetValue(_offer)! };
        if (parse.GetValue(_count) is { } count)
            request.Count = count;
        if (parse.GetValue(_price) is { } price)
            request.PricePerHour = Money.FromDecimal(price, parse.GetValue(_currency)!);
        if (parse.GetValue(_reserve) is { } reserve)
            request.ReservePricePerHour = Money.FromDecimal(reserve, parse.GetValue(_currency)!);
        var reply = await context.Market.Provider.ChangeOfferAsync(request, context.Market.Call(ct));
        context.Write(reply, output => OfferTable.Write(output, reply.Offer, reply.UnitsRemoved));
        return ExitCodes.Ok;
    }
}
