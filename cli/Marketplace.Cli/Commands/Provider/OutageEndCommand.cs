using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Parsing;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Commands.Provider;

// marketctl outage end: the site is back; its hours are on sale again from the next whole hour.
public sealed class OutageEndCommand : MarketCommand
{
    readonly Argument<string> _outage = new("outage-id") { Description = "the outage that is over" };
    readonly TimeOption _at = new("--at", "when it came back (default now)");

    public OutageEndCommand(CliHost host) : base(host, "end", "End an outage (provider)")
    {
        Add(_outage);
        Add(_at);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["outage_id"] = "<outage-id>", ["ended_at"] = "--at",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var outage = await context.Market.Provider.EndOutageAsync(new EndOutageRequest
        {
            OutageId = parse.GetValue(_outage)!,
            EndedAt = parse.GetValue(_at) is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        }, context.Market.Call(ct));
        context.Write(outage, output => OutageTable.Write(output, [outage]));
        return ExitCodes.Ok;
    }
}
