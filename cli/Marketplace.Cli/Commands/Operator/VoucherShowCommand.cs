using System.CommandLine;
using Marketplace.Billing.V1;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Commands.Operator;

// marketctl vouchers show [PROGRAM_ID]: every program, or one with its spend by tenant and provider.
public sealed class VoucherShowCommand : MarketCommand
{
    readonly Argument<string?> _program = new("program-id") { Description = "reconcile this program", Arity = ArgumentArity.ZeroOrOne };

    public VoucherShowCommand(CliHost host) : base(host, "show", "List voucher programs, or reconcile one (operator)")
    {
        Aliases.Add("list");
        Add(_program);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["program_id"] = "<program-id>",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var billing = context.Market.Billing;
        if (parse.GetValue(_program) is not { } programId)
        {
            var programs = (await billing.ListVoucherProgramsAsync(new ListVoucherProgramsRequest(), context.Market.Call(ct))).Programs;
            context.Write(programs, output => VoucherTable.Write(output, programs));
            return ExitCodes.Ok;
        }
        var reconciliation = await billing.GetVoucherReconciliationAsync(
            new GetVoucherReconciliationRequest { ProgramId = programId }, context.Market.Call(ct));
        context.Write(reconciliation, output =>
        {
            VoucherTable.Write(output, [reconciliation.Program]);
            output.WriteLine();
            var spend = new Table("TENANT", "PROVIDER", "PAID");
            foreach (var s in reconciliation.Spend)
                spend.Add(s.TenantId, s.ProviderId, Cells.Money(s.Amount));
            spend.WriteTo(output);
        });
        return ExitCodes.Ok;
    }
}
