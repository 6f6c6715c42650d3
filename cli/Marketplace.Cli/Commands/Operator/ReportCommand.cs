using System.CommandLine;
using Marketplace.Billing.V1;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Commands.Operator;

// marketctl report: revenue, accelerator-hours by hub and voucher spend, from the billing event log.
public sealed class ReportCommand : MarketCommand
{
    readonly Option<string> _cursor = new("--cursor") { Description = "only events after this cursor (default: the whole log)", DefaultValueFactory = _ => "" };
    readonly Option<string?> _tenant = new("--tenant") { Description = "only this tenant" };
    readonly Option<string?> _provider = new("--provider") { Description = "only this provider" };
    readonly Option<string?> _hub = new("--hub") { Description = "only this hub" };
    readonly Parsing.DurationOption _settle = new("--settle",
        "the log counts as read once no event came for this long", TimeSpan.FromSeconds(2));

    public ReportCommand(CliHost host) : base(host, "report", "Revenue, accelerator-hours by hub and voucher spend (operator)")
    {
        Add(_cursor);
        Add(_tenant);
        Add(_provider);
        Add(_hub);
        Add(_settle);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["from_cursor"] = "--cursor",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var request = new WatchBillingEventsRequest
        {
            FromCursor = parse.GetValue(_cursor)!,
            TenantId = parse.GetValue(_tenant) ?? "",
            ProviderId = parse.GetValue(_provider) ?? "",
            HubId = parse.GetValue(_hub) ?? "",
        };
        var report = new BillingReport();
        context.Progress.Report("reading the billing log");
        await BillingFeed.ReplayAsync(context.Market, request, _settle.ValueIn(parse), e =>
        {
            report.Add(e);
            if (e.KindCase == BillingEvent.KindOneofCase.Posting && report.Postings % 500 == 0)
                context.Progress.Report($"{report.Postings} postings read");
        }, ct);
        context.Progress.Report($"{report.Postings} postings read; caught up");
        context.WriteSummary(report, output => Write(output, report));
        return ExitCodes.Ok;
    }

    static void Write(TextWriter output, BillingReport report)
    {
        output.WriteLine($"Billing report: {report.Postings} usage postings, {Cells.Number(report.AcceleratorHours)} accelerator-hours ({report.Currency})");
        new Table("BILLED", "PLATFORM FEE", "PROVIDERS' SHARE", "VOUCHERS PAID", "TENANTS OWE")
            .Add(Cells.Amount(report.Gross), Cells.Amount(report.PlatformFee), Cells.Amount(report.ProviderPayable),
                Cells.Amount(report.VoucherCovered), Cells.Amount(report.TenantDue))
            .WriteTo(output);
        output.WriteLine();
        var hubs = new Table("HUB", "ACC-HOURS", "KWH", "BILLED");
        foreach (var hub in report.Hubs.OrderByDescending(h => h.AcceleratorHours))
            hubs.Add(hub.HubId, Cells.Number(hub.AcceleratorHours), Cells.Number(hub.EnergyKwh, "0.0"), Cells.Amount(hub.Gross));
        hubs.WriteTo(output);
        if (report.Vouchers.Count > 0)
        {
            output.WriteLine();
            var vouchers = new Table("VOUCHER PROGRAM", "TENANT", "SPENT");
            foreach (var program in report.Vouchers)
            {
                vouchers.Add(program.ProgramId, "all", Cells.Amount(program.Spent));
                foreach (var (tenant, spent) in program.ByTenant)
                    vouchers.Add("", tenant, Cells.Amount(spent));
            }
            vouchers.WriteTo(output);
        }
        if (report.LastCursor is { } cursor)
            output.WriteLine($"\nlast cursor {cursor}: 'marketctl report --cursor {cursor}' reports only what comes after");
    }
}
