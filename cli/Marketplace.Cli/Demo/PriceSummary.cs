namespace Marketplace.Cli.Demo;

// A quoted option's yuan, item by item (the voucher subsidy is subtracted from the total).
public sealed record PriceSummary(decimal Compute, decimal Transfer, decimal LatencyPenalty, decimal VoucherSubsidy,
    decimal Total, double EnergyKwh, double GreenPowerShare, double Co2Kg);
