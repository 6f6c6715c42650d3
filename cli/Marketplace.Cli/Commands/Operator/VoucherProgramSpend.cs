namespace Marketplace.Cli.Commands.Operator;

// What one voucher program's fund paid, and for whom.
public sealed class VoucherProgramSpend
{
    public required string ProgramId { get; init; }
    public decimal Spent { get; set; }
    public Dictionary<string, decimal> ByTenant { get; } = [];
}
