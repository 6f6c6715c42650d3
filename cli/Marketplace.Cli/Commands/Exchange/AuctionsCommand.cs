using System.CommandLine;
using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Output;
using Marketplace.Cli.Connection;

namespace Marketplace.Cli.Commands.Exchange;

// marketctl auctions: the latest auctions' results, or --watch for each as it clears (Ctrl-C stops).
public sealed class AuctionsCommand : MarketCommand
{
    readonly Option<bool> _watch = new("--watch") { Description = "follow results as auctions clear" };
    readonly Option<int> _last = new("--last") { Description = "how many of the latest to show", DefaultValueFactory = _ => 5 };

    public AuctionsCommand(CliHost host) : base(host, "auctions", "Call auctions: prices by hub and hour, volume, surplus (everyone)")
    {
        Add(_watch);
        Add(_last);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string> { ["page_size"] = "--last" };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var exchange = context.Market.Exchange;
        if (!parse.GetValue(_watch))
        {
            var reply = await exchange.ListAuctionsAsync(new ListAuctionsRequest { PageSize = parse.GetValue(_last) }, context.Market.Call(ct));
            context.Write(reply, output => { foreach (var result in reply.Auctions) Write(output, result); });
            return ExitCodes.Ok;
        }
        using var watch = exchange.WatchAuctions(new WatchAuctionsRequest(), MarketConnection.Follow(ct));
        try
        {
            await foreach (var result in watch.ResponseStream.ReadAllAsync(ct))
                context.Write(result, output => Write(output, result));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested) { }
        return ExitCodes.Ok;
    }

    static void Write(TextWriter output, AuctionResult result)
    {
        output.WriteLine($"auction {result.Id}: {result.BidsFilled} of {result.BidsIn} bids filled, {result.AcceleratorHours} accelerator-hours, " +
                         $"surplus {result.Surplus?.ToDecimal():0.00}, moving cost {result.MovingCost?.ToDecimal():0.00}, gap {result.OptimalityGap:0.####}");
        var table = new Table("HOUR", "HUB", "REGION", "MODEL", "PRICE/H", "ACCELERATORS");
        foreach (var price in result.Prices)
            table.Add(price.Hour.ToDateTimeOffset().ToString("MM-dd HH:00"), price.HubId, price.RegionId, price.AcceleratorModel,
                price.PricePerHour.ToDecimal().ToString("0.00##"), price.Accelerators);
        if (table.Count > 0)
            table.WriteTo(output);
    }
}
