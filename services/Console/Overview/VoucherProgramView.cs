using Marketplace.Billing.V1;

namespace Marketplace.Console.Overview;

// A voucher program's spend against its budget, in whole fen.
public sealed record VoucherProgramView(string Id, string Issuer, string Name, string Currency, long BudgetFen,
    long SpentFen, int TenantCopayPercent, DateTimeOffset? ExpiresAt)
{
    public static VoucherProgramView From(VoucherProgram p) => new(p.Id, p.Issuer, p.Name, p.Budget?.Currency ?? "",
        WholeFen.Of(p.Budget), WholeFen.Of(p.Spent), p.TenantCopayPercent, p.ExpiresAt?.ToDateTimeOffset());
}
