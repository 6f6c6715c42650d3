using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Billing.V1;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Output;
using Marketplace.Cli.Parsing;
using Marketplace.Common.V1;

namespace Marketplace.Cli.Commands.Tenant;

// marketctl invoice: a tenant's invoice, line by line: the oldest of those overlapping a period (by
// default the open one, a running draft), the others named below it.
public sealed class InvoiceCommand : MarketCommand
{
    readonly Option<string?> _tenant = new("--tenant") { Description = "tenant id (default: the subject of a tenant's token)" };
    readonly TimeOption _from = new("--from", "period start (default: the open billing period)");
    readonly TimeOption _to = new("--to", "period end");
    readonly Option<string?> _id = new("--id") { Description = "or an invoice by its id" };

    public InvoiceCommand(CliHost host) : base(host, "invoice", "Show a tenant's invoice (tenant)")
    {
        Add(_tenant);
        Add(_from);
        Add(_to);
        Add(_id);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["tenant_id"] = "--tenant",
        ["period"] = "--from and --to",
        ["period.end"] = "--to",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var billing = context.Market.Billing;
        Invoice invoice;
        IReadOnlyList<Invoice> others = [];
        if (parse.GetValue(_id) is { } id)
            invoice = await billing.GetInvoiceAsync(new GetInvoiceRequest { InvoiceId = id }, context.Market.Call(ct));
        else
        {
            var request = new ListInvoicesRequest { TenantId = context.Tenant(parse.GetValue(_tenant)) };
            if (parse.GetValue(_from) is { } from)
                request.Period = new TimeWindow
                {
                    Start = Timestamp.FromDateTimeOffset(from),
                    End = Timestamp.FromDateTimeOffset(parse.GetValue(_to)
                        ?? throw new UsageException("--to is required with --from")),
                };
            var reply = await billing.ListInvoicesAsync(request, context.Market.Call(ct));
            invoice = reply.Invoices.FirstOrDefault() ?? new Invoice { TenantId = request.TenantId };
            others = reply.Invoices.Skip(1).ToList();
        }
        context.Write(invoice, output =>
        {
            Write(output, invoice);
            foreach (var other in others)
                output.WriteLine($"Also in the period: {other.Id} (marketctl invoice --id {other.Id})");
        });
        return ExitCodes.Ok;
    }

    static void Write(TextWriter output, Invoice invoice)
    {
        var state = invoice.State == InvoiceState.Issued ? $"no. {invoice.Number}, issued {Cells.Time(invoice.IssuedAt)}" : "open";
        output.WriteLine($"Invoice {invoice.Id} ({state}) for {invoice.TenantId}, {Cells.Window(invoice.Period)}");
        var lines = new Table("LEASE", "PROVIDER", "SITE", "MODEL", "ACC-HOURS", "KWH", "AMOUNT", "VOUCHER", "DUE");
        foreach (var line in invoice.Lines)
            lines.Add(line.Adjustment ? $"{line.LeaseId} (adjusts {Cells.Window(line.AdjustedPeriod)})" : line.LeaseId, line.ProviderId, line.DatacenterId, line.AcceleratorModel,
                Cells.Number(line.AcceleratorHours), Cells.Number(line.EnergyKwh, "0.0"), Cells.Money(line.Amount),
                Cells.Money(line.VoucherCovered), Cells.Money(line.TenantDue));
        lines.Add("total", "", "", "", Cells.Number(invoice.Lines.Sum(l => l.AcceleratorHours)),
            Cells.Number(invoice.Lines.Sum(l => l.EnergyKwh), "0.0"), Cells.Money(invoice.Total),
            Cells.Money(invoice.VoucherCovered), Cells.Money(invoice.TenantDue));
        lines.WriteTo(output);
        output.WriteLine($"Currency {invoice.Total?.Currency}");
    }
}
