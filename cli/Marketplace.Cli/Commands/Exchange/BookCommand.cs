using System.CommandLine;
using Marketplace.Broker.V1;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Commands.Exchange;

// marketctl book: the order book's depth by hub, model and hour, asks and bids; no tenant is named.
public sealed class BookCommand : MarketCommand
{
    readonly Option<int> _hours = new("--hours") { Description = "hours from the next whole hour (default: the auction's)" };

    public BookCommand(CliHost host) : base(host, "book", "The exchange's order book (everyone)") => Add(_hours);

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string> { ["hours"] = "--hours" };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var book = await context.Market.Exchange.GetOrderBookAsync(new GetOrderBookRequest { Hours = parse.GetValue(_hours) }, context.Market.Call(ct));
        context.Write(book, output =>
        {
            var asks = new Table("HOUR", "HUB", "REGION", "MODEL", "ASKS (price x accelerators)");
            foreach (var depth in book.Asks)
                asks.Add(depth.Hour.ToDateTimeOffset().ToString("MM-dd HH:00"), depth.HubId, depth.RegionId, depth.AcceleratorModel,
                    string.Join("  ", depth.Levels.Select(l => $"{l.PricePerHour.ToDecimal():0.00}x{l.Accelerators}")));
            asks.WriteTo(output);
            output.WriteLine($"{book.OpenBids} open bids");
            var bids = new Table("HOUR", "MODEL", "BIDS (limit x accelerators)");
            foreach (var depth in book.Bids)
                bids.Add(depth.Hour.ToDateTimeOffset().ToString("MM-dd HH:00"), depth.AcceleratorModel,
                    string.Join("  ", depth.Levels.Select(l => $"{l.PricePerHour.ToDecimal():0.00}x{l.Accelerators}")));
            if (bids.Count > 0)
                bids.WriteTo(output);
        });
        return ExitCodes.Ok;
    }
}
