using System.CommandLine;
using Marketplace.Cli.Invocation;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Commands.Provider;

// marketctl outage list: a site's record of outages (anyone), or a provider's own.
public sealed class OutageListCommand : MarketCommand
{
    readonly Option<string?> _datacenter = new("--dc") { Description = "one data center's (default: a provider's own, or all)" };
    readonly Option<bool> _open = new("--open") { Description = "only those still going on" };

    public OutageListCommand(CliHost host) : base(host, "list", "List outages")
    {
        Add(_datacenter);
        Add(_open);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["datacenter_id"] = "--dc",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var reply = await context.Market.Provider.ListOutagesAsync(new ListOutagesRequest
        {
            DatacenterId = parse.GetValue(_datacenter) ?? "",
            OpenOnly = parse.GetValue(_open),
        }, context.Market.Call(ct));
        context.Write(reply, output => OutageTable.Write(output, reply.Outages));
        return ExitCodes.Ok;
    }
}
