using System.Diagnostics.Metrics;

namespace Marketplace.Broker.Telemetry;

// What the broker's edge counts: quotes answered and how long they took, accepts by how they ended.
public sealed class BrokerMetrics
{
    public const string MeterName = "Marketplace.broker";

    readonly Counter<long> _quotes;
    readonly Histogram<double> _quoteDuration;
    readonly Counter<long> _accepts;

    public BrokerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _quotes = meter.CreateCounter<long>("marketplace.broker.quotes", description: "RequestQuote calls, by outcome (the gRPC status)");
        _quoteDuration = meter.CreateHistogram("marketplace.broker.quote.duration", unit: "s",
            description: "Time to answer a RequestQuote call, by outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ServiceDefaults.Telemetry.LatencyBuckets.Seconds });
        _accepts = meter.CreateCounter<long>("marketplace.broker.accepts", description: "AcceptQuote calls, by outcome (the gRPC status)");
    }

    public void Quoted(TimeSpan took, KeyValuePair<string, object?> outcome)
    {
        _quotes.Add(1, outcome);
        _quoteDuration.Record(took.TotalSeconds, outcome);
    }

    public void Accepted(KeyValuePair<string, object?> outcome) => _accepts.Add(1, outcome);
}
