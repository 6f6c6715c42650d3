namespace Marketplace.Broker.Domain;

// The platform's quoting rules and assumptions, bound from configuration (Broker:Quoting).
public sealed class QuotingPolicy
{
    public const string Section = "Broker:Quoting";

    // The market's currency: offers are priced in it, and a price ceiling must be given in it.
    public string Currency { get; set; } = "CNY";

    // Exclude accelerators barred from sale to China (H100, H800, A100), even existing stock.
    public bool ExcludeExportControlled { get; set; }

    // Effective throughput for moving a tenant's data to a site in another region.
    public decimal TransferGbps { get; set; } = 10m;

    // What each millisecond of round trip costs latency-sensitive work, per accelerator-hour.
    public decimal LatencyPenaltyPerMsPerAcceleratorHour { get; set; } = 0.02m;

    // kg CO2 per kWh of grid power (China's national grid average); green power counts as zero.
    public decimal GridKgCo2PerKwh { get; set; } = 0.5703m;

    public int MaxOptions { get; set; } = 5;
    // Data centers a split may use (not offers: one data center may give several).
    public int MaxSplitSites { get; set; } = 4;
    public int MaxExclusions { get; set; } = 8;
}
