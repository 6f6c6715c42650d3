using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Parsing;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Commands.Provider;

// marketctl outage report: a data center (or one offer) is down. Its hours stop being sold and billed;
// the broker moves the leases it hits.
public sealed class OutageReportCommand : MarketCommand
{
    readonly Option<string> _datacenter = new("--dc") { Description = "the data center that is down", Required = true };
    readonly Option<string?> _offer = new("--offer") { Description = "only this offer is down (default: the whole data center)" };
    readonly Option<string> _reason = new("--reason") { Description = "what happened, e.g. \"power feed lost\"", Required = true };
    readonly TimeOption _start = new("--start", "when it went down (default now; at most 24 h ago)");
    readonly TimeOption _expectedEnd = new("--expected-end", "when it should be back (default: not known)");
    readonly Option<string?> _key = new("--key") { Description = "idempotency key (default: derived from the report, so re-running is safe)" };

    public OutageReportCommand(CliHost host) : base(host, "report", "Report a data center or offer down (provider)")
    {
        foreach (var option in new Option[] { _datacenter, _offer, _reason, _start, _expectedEnd, _key })
            Add(option);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["datacenter_id"] = "--dc", ["offer_id"] = "--offer", ["reason"] = "--reason", ["start"] = "--start",
        ["expected_end"] = "--expected-end", ["idempotency_key"] = "--key",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        // Unset, the market's own now: on an accelerated market that is far from this machine's clock.
        var start = parse.GetValue(_start);
        var request = new ReportOutageRequest
        {
            DatacenterId = parse.GetValue(_datacenter)!,
            OfferId = parse.GetValue(_offer) ?? "",
            Reason = parse.GetValue(_reason)!,
            Start = start is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            ExpectedEnd = parse.GetValue(_expectedEnd) is { } end ? Timestamp.FromDateTimeOffset(end) : null,
        };
        // The same report typed twice within a minute is one outage.
        request.IdempotencyKey = parse.GetValue(_key) ?? "marketctl-" + Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes($"{request.DatacenterId}|{request.OfferId}|{start ?? DateTimeOffset.UtcNow:yyyyMMddHHmm}")))[..32];
        var outage = await context.Market.Provider.ReportOutageAsync(request, context.Market.Call(ct));
        context.Write(outage, output => OutageTable.Write(output, [outage]));
        return ExitCodes.Ok;
    }
}
