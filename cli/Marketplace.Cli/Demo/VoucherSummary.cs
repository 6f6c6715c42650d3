namespace Marketplace.Cli.Demo;

// The operator's voucher program at the end of the day.
public sealed record VoucherSummary(string ProgramId, string Name, string Issuer, int TenantCopayPercent,
    decimal Budget, decimal Spent, IReadOnlyList<VoucherShare> Spend);
