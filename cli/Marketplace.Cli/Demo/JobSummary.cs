namespace Marketplace.Cli.Demo;

// One SME's job at the end of the day: where it went, why there (its constraints, and the cheaper sites they
// ruled out), what it cost and what home would have cost.
public sealed record JobSummary(
    string Tenant,
    string Story,
    string Workload,
    string LeaseId,
    string State,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<PlacementSummary> Placements,
    IReadOnlyList<string> Constraints,
    IReadOnlyList<string> Why,
    PriceSummary Quoted,
    InvoiceSummary? Invoiced,
    AlternativeSummary? Nearest)
{
    // Positive: going where the broker sent it was cheaper than the nearest site.
    public decimal? SavingVsNearest => Nearest is null ? null : Nearest.Total - Quoted.Total;
}
