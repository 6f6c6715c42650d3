namespace Marketplace.Cli.Demo;

// The demo's call auction at the end of the day: what each bid got, and the prices it cleared at by hub,
// east against west.
public sealed record ExchangeSummary(
    string AuctionId,
    decimal Surplus,
    decimal MovingCost,
    double OptimalityGap,
    IReadOnlyList<BidSummary> Bids,
    IReadOnlyList<HubPriceSummary> Prices);

// Paid: the lease's compute price per accelerator-hour, averaged over its allocations; null when not filled.
public sealed record BidSummary(string Tenant, string Story, string BidId, string State, decimal Limit, string Outcome,
    string LeaseId, IReadOnlyList<string> Hubs, decimal? PaidPerHour);

// One hub and model over the hours the auction traded: the average price, weighted by accelerators.
public sealed record HubPriceSummary(string HubId, string Side, string Model, decimal AveragePrice, long AcceleratorHours);
