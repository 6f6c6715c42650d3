using System.CommandLine;
using Marketplace.Billing.V1;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Commands.Operator;

// marketctl invoices close: closes the current billing period at the start of the current market hour and
// lists the invoices that issued (periods also close by themselves when they end).
public sealed class InvoicesCloseCommand(CliHost host)
    : MarketCommand(host, "close", "Close the current billing period early and issue its invoices (operator)")
{
    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var closed = await context.Market.Billing.CloseBillingPeriodAsync(new CloseBillingPeriodRequest(), context.Market.Call(ct));
        context.Write(closed, output =>
        {
            output.WriteLine($"Closed through {Cells.Time(closed.ClosedThrough)}: {closed.Invoices.Count} invoices issued");
            var table = new Table("NUMBER", "INVOICE", "TENANT", "PERIOD", "TOTAL", "VOUCHER", "DUE");
            foreach (var i in closed.Invoices)
                table.Add(Cells.Number(i.Number), i.Id, i.TenantId, Cells.Window(i.Period),
                    Cells.Money(i.Total), Cells.Money(i.VoucherCovered), Cells.Money(i.TenantDue));
            table.WriteTo(output);
        });
        return ExitCodes.Ok;
    }
}
