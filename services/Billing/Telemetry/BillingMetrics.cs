using System.Diagnostics.Metrics;
using Marketplace.Billing.Ledger;

namespace Marketplace.Billing.Telemetry;

// What billing counts: usage records by what the ledger did with them (applied, duplicate, parked).
// One meter per process, as the bus's (BusMetrics): hosts that share a process (tests, the bench) share
// it, and stopping one of them cannot end the instruments the others report.
public static class BillingMetrics
{
    public const string MeterName = "Marketplace.billing";

    static readonly Meter Meter = new(MeterName);

    static readonly Counter<long> Postings = Meter.CreateCounter<long>("marketplace.billing.postings",
        description: "Usage records posted to the ledger, by outcome: applied, duplicate (posted before), parked (lease not yet heard of)");

    // One tag per outcome, made once: the ingest path allocates nothing for it.
    static readonly KeyValuePair<string, object?>[] Outcomes = Enum.GetValues<UsageDesk.Outcome>()
        .Select(o => new KeyValuePair<string, object?>("outcome", o.ToString().ToLowerInvariant())).ToArray();

    public static void Posted(UsageDesk.Outcome outcome) => Postings.Add(1, Outcomes[(int)outcome]);
}
