using Marketplace.Billing.V1;

namespace Marketplace.Cli.Commands.Operator;

// What one usage posting amounts to, read from its entries: debits are positive, credits negative, and
// they sum to zero. The tenant and the voucher fund pay (debits); the provider and the platform earn.
public static class PostingFigures
{
    public static decimal Gross(Posting posting) => posting.Entries.Select(Amount).Where(a => a > 0).Sum();

    public static decimal Voucher(Posting posting) => Sum(posting, AccountKind.VoucherFund);

    public static decimal TenantDue(Posting posting) => Sum(posting, AccountKind.Tenant);

    public static decimal PlatformFee(Posting posting) => -Sum(posting, AccountKind.PlatformFee);

    public static decimal ProviderPayable(Posting posting) => -Sum(posting, AccountKind.ProviderPayable);

    public static string Currency(Posting posting) => posting.Entries.FirstOrDefault()?.Amount?.Currency ?? "";

    // The voucher program that paid, if any: the voucher fund account's owner.
    public static string? Program(Posting posting) =>
        posting.Entries.FirstOrDefault(e => e.Account?.Kind == AccountKind.VoucherFund)?.Account.OwnerId;

    static decimal Sum(Posting posting, AccountKind kind) =>
        posting.Entries.Where(e => e.Account?.Kind == kind).Select(Amount).Sum();

    static decimal Amount(LedgerEntry entry) => entry.Amount?.ToDecimal() ?? 0;
}
