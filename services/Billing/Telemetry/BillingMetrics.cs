using System.Diagnostics.Metrics;
using Marketplace.Billing.Ledger;

namespace Marketplace.Billing.Telemetry;

// What billing counts: usage records by what the ledger did with them (applied, duplicate, parked).
public sealed class BillingMetrics
{
    public const string MeterName = "Marketplace.billing";

    // One tag per outcome, made once: the ingest path allocates nothing for it.
    static readonly KeyValuePair<string, object?>[] Outcomes = Enum.GetValues<UsageDesk.Outcome>()
        .Select(o => new KeyValuePair<string, object?>("outcome", o.ToString().ToLowerInvariant())).ToArray();

    readonly Counter<long> _postings;

    public BillingMetrics(IMeterFactory meters) =>
        _postings = meters.Create(MeterName).CreateCounter<long>("marketplace.billing.postings",
            description: "Usage records posted to the ledger, by outcome: applied, duplicate (posted before), parked (lease not yet heard of)");

    public void Posted(UsageDesk.Outcome outcome) => _postings.Add(1, Outcomes[(int)outcome]);
}
