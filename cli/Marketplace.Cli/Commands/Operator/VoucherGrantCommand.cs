using System.CommandLine;
using Marketplace.Billing.V1;
using Marketplace.Cli.Invocation;
using Marketplace.Common.V1;

namespace Marketplace.Cli.Commands.Operator;

// marketctl vouchers grant: a tenant's voucher from a program, up to the program's cap per tenant.
public sealed class VoucherGrantCommand : MarketCommand
{
    readonly Argument<string> _program = new("program-id") { Description = "the voucher program" };
    readonly Option<string> _tenant = new("--tenant") { Description = "the tenant receiving it", Required = true };
    readonly Option<decimal?> _cap = new("--cap") { Description = "most it pays (default the program's cap per tenant)" };
    readonly Option<string> _currency = new("--currency") { Description = "currency of --cap", DefaultValueFactory = _ => "CNY" };

    public VoucherGrantCommand(CliHost host) : base(host, "grant", "Grant a tenant a voucher from a program (operator)")
    {
        Add(_program);
        Add(_tenant);
        Add(_cap);
        Add(_currency);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["program_id"] = "<program-id>",
        ["tenant_id"] = "--tenant",
        ["cap"] = "--cap",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var request = new GrantVoucherRequest { ProgramId = parse.GetValue(_program)!, TenantId = parse.GetValue(_tenant)! };
        if (parse.GetValue(_cap) is { } cap)
            request.Cap = Money.FromDecimal(cap, parse.GetValue(_currency)!);
        var voucher = await context.Market.Billing.GrantVoucherAsync(request, context.Market.Call(ct));
        context.Write(voucher, output => VoucherTable.Write(output, voucher));
        return ExitCodes.Ok;
    }
}
