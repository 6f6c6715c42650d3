using System.CommandLine;
using Marketplace.Broker.V1;
using Marketplace.Cli.Invocation;
using Marketplace.Common.V1;

namespace Marketplace.Cli.Commands.Tenant;

// marketctl quote: ranked options with every yuan itemised, and the cheaper sites left out and why.
public sealed class QuoteCommand : MarketCommand
{
    readonly DemandOptions _demand = new();
    readonly Option<decimal?> _ceiling = new("--ceiling") { Description = "highest price per accelerator-hour" };
    readonly Option<string> _currency = new("--currency") { Description = "currency of --ceiling", DefaultValueFactory = _ => "CNY" };

    public QuoteCommand(CliHost host) : base(host, "quote", "Ask for ranked, itemised quotes (tenant)")
    {
        _demand.AddTo(this);
        Add(_ceiling);
        Add(_currency);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } =
        new Dictionary<string, string>(DemandOptions.FieldOptions()) { ["price_ceiling_per_hour"] = "--ceiling" };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var request = _demand.Request(context, parse);
        if (parse.GetValue(_ceiling) is { } ceiling)
            request.PriceCeilingPerHour = Money.FromDecimal(ceiling, parse.GetValue(_currency)!);
        var reply = await context.Market.Broker.RequestQuoteAsync(request, context.Market.Call(ct));
        context.Write(reply, output => QuoteTable.Write(output, reply));
        return ExitCodes.Ok;
    }
}
