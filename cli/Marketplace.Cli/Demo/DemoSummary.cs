namespace Marketplace.Cli.Demo;

// The demo day's outcome, printed as text or JSON. Complete: every lease ended and was billed in time.
public sealed record DemoSummary(
    DateTimeOffset MarketStart,
    DateTimeOffset MarketEnd,
    string Currency,
    bool Complete,
    IReadOnlyList<JobSummary> Jobs,
    VoucherSummary Voucher,
    IReadOnlyList<HubUtilisation> Hubs,
    ExchangeSummary Exchange);
