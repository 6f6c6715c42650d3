using System.CommandLine;
using Marketplace.Broker.V1;
using Marketplace.Cli.Invocation;

namespace Marketplace.Cli.Commands.Tenant;

// marketctl leases [LEASE_ID]: a tenant's leases, every page of them, or one lease.
public sealed class LeasesCommand : MarketCommand
{
    readonly Argument<string?> _lease = new("lease-id") { Description = "show just this lease", Arity = ArgumentArity.ZeroOrOne };
    readonly Option<string?> _tenant = new("--tenant") { Description = "tenant id (default: the subject of a tenant's token)" };
    readonly Option<string?> _state = new Option<string?>("--state") { Description = "only leases in this state" }
        .AcceptOnlyFromAmong("scheduled", "active", "ended", "cancelled");

    public LeasesCommand(CliHost host) : base(host, "leases", "List a tenant's leases, or show one (tenant)")
    {
        Add(_lease);
        Add(_tenant);
        Add(_state);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["tenant_id"] = "--tenant",
        ["lease_id"] = "<lease-id>",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var broker = context.Market.Broker;
        if (parse.GetValue(_lease) is { } leaseId)
        {
            var lease = await broker.GetLeaseAsync(new GetLeaseRequest { LeaseId = leaseId }, context.Market.Call(ct));
            context.Write(lease, output => LeaseTable.Write(output, [lease]));
            return ExitCodes.Ok;
        }

        var request = new ListLeasesRequest
        {
            TenantId = context.Tenant(parse.GetValue(_tenant)),
            State = parse.GetValue(_state) switch
            {
                "scheduled" => LeaseState.Scheduled,
                "active" => LeaseState.Active,
                "ended" => LeaseState.Ended,
                "cancelled" => LeaseState.Cancelled,
                _ => LeaseState.Unspecified,
            },
            PageSize = 200,
        };
        var leases = new List<Lease>();
        do
        {
            var page = await broker.ListLeasesAsync(request, context.Market.Call(ct));
            leases.AddRange(page.Leases);
            request.PageToken = page.NextPageToken;
        } while (request.PageToken.Length > 0);
        context.Write(leases, output => LeaseTable.Write(output, leases));
        return ExitCodes.Ok;
    }
}
