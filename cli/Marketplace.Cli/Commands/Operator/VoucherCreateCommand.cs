using System.CommandLine;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Marketplace.Billing.V1;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Parsing;
using Marketplace.Common.V1;

namespace Marketplace.Cli.Commands.Operator;

// marketctl vouchers create: a local government's compute-voucher program (算力券).
public sealed class VoucherCreateCommand : MarketCommand
{
    readonly Option<string?> _id = new("--id") { Description = "program id (default generated)" };
    readonly Option<string> _name = new("--name") { Description = "e.g. \"Shenzhen compute voucher\"", Required = true };
    readonly Option<string> _issuer = new("--issuer") { Description = "who funds it", Required = true };
    readonly Option<decimal> _budget = new("--budget") { Description = "the fund, in all", Required = true };
    readonly Option<decimal> _cap = new("--cap-per-tenant") { Description = "most one tenant may draw", Required = true };
    readonly Option<int> _copay = new("--copay") { Description = "share the tenant still pays, percent", DefaultValueFactory = _ => 50 };
    readonly TimeOption _expires = new("--expires", "when it ends (default +90d)");
    readonly Option<string[]> _regions = new("--region") { Description = "eligible regions (repeat; default any)" };
    readonly Option<string[]> _providers = new("--eligible-provider") { Description = "eligible providers (repeat; default any)" };
    readonly Option<string> _currency = new("--currency") { Description = "currency of the amounts", DefaultValueFactory = _ => "CNY" };

    public VoucherCreateCommand(CliHost host) : base(host, "create", "Create a compute-voucher program (operator)")
    {
        foreach (var option in new Option[] { _id, _name, _issuer, _budget, _cap, _copay, _expires, _regions, _providers, _currency })
            Add(option);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["program.id"] = "--id",
        ["program.name"] = "--name",
        ["program.issuer"] = "--issuer",
        ["program.budget"] = "--budget",
        ["program.cap_per_tenant"] = "--cap-per-tenant",
        ["program.tenant_copay_percent"] = "--copay",
        ["program.expires_at"] = "--expires",
        ["program.eligible_region_ids"] = "--region",
        ["program.eligible_provider_ids"] = "--eligible-provider",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var currency = parse.GetValue(_currency)!;
        var program = new VoucherProgram
        {
            Id = parse.GetValue(_id) ?? "",
            Name = parse.GetValue(_name)!,
            Issuer = parse.GetValue(_issuer)!,
            Budget = Money.FromDecimal(parse.GetValue(_budget), currency),
            CapPerTenant = Money.FromDecimal(parse.GetValue(_cap), currency),
            TenantCopayPercent = parse.GetValue(_copay),
            ExpiresAt = Timestamp.FromDateTimeOffset(parse.GetValue(_expires) ?? DateTimeOffset.UtcNow.AddDays(90)),
        };
        program.EligibleRegionIds.AddRange(parse.GetValue(_regions) ?? []);
        program.EligibleProviderIds.AddRange(parse.GetValue(_providers) ?? []);
        var created = await context.Market.Billing.CreateVoucherProgramAsync(
            new CreateVoucherProgramRequest { Program = program }, context.Market.Call(ct));
        context.Write(created, output => VoucherTable.Write(output, [created]));
        return ExitCodes.Ok;
    }
}
