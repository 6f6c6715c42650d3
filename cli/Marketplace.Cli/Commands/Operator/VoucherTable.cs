using Marketplace.Billing.V1;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Commands.Operator;

// Voucher programs and vouchers for people.
public static class VoucherTable
{
    public static void Write(TextWriter output, IEnumerable<VoucherProgram> programs)
    {
        var table = new Table("PROGRAM", "NAME", "ISSUER", "BUDGET", "SPENT", "CO-PAY", "CAP/TENANT", "EXPIRES", "REGIONS", "PROVIDERS");
        foreach (var p in programs)
            table.Add(p.Id, p.Name, p.Issuer, Cells.Money(p.Budget), Cells.Money(p.Spent), $"{p.TenantCopayPercent}%",
                Cells.Money(p.CapPerTenant), Cells.Time(p.ExpiresAt), Any(p.EligibleRegionIds), Any(p.EligibleProviderIds));
        table.WriteTo(output);
    }

    public static void Write(TextWriter output, Voucher voucher) =>
        new Table("VOUCHER", "PROGRAM", "TENANT", "CAP", "SPENT", "EXPIRES")
            .Add(voucher.Id, voucher.ProgramId, voucher.TenantId, Cells.Money(voucher.Cap), Cells.Money(voucher.Spent),
                Cells.Time(voucher.ExpiresAt))
            .WriteTo(output);

    static string Any(IEnumerable<string> ids) => ids.Any() ? string.Join(",", ids) : "any";
}
