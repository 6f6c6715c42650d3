using System.Diagnostics.Metrics;

namespace Marketplace.Broker.Telemetry;

// What the broker's edge counts: quotes answered and how long they took, accepts by how they ended.
// One meter per process, as the bus's (BusMetrics): hosts that share a process (tests, the bench) share
// it, and stopping one of them cannot end the instruments the others report.
public static class BrokerMetrics
{
    public const string MeterName = "Marketplace.broker";

    internal static readonly Meter Meter = new(MeterName);

    static readonly Counter<long> Quotes = Meter.CreateCounter<long>("marketplace.broker.quotes",
        description: "RequestQuote calls, by outcome (the gRPC status)");

    static readonly Histogram<double> QuoteDuration = Meter.CreateHistogram("marketplace.broker.quote.duration", unit: "s",
        description: "Time to answer a RequestQuote call, by outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ServiceDefaults.Telemetry.LatencyBuckets.Seconds });

    static readonly Counter<long> Accepts = Meter.CreateCounter<long>("marketplace.broker.accepts",
        description: "AcceptQuote calls, by outcome (the gRPC status)");

    public static void Quoted(TimeSpan took, KeyValuePair<string, object?> outcome)
    {
        Quotes.Add(1, outcome);
        QuoteDuration.Record(took.TotalSeconds, outcome);
    }

    public static void Accepted(KeyValuePair<string, object?> outcome) => Accepts.Add(1, outcome);
}
