namespace Marketplace.ServiceDefaults.Telemetry;

// Histogram buckets for durations in seconds, from a cached Redis call (0.1 ms) to a slow accept (10 s).
// OpenTelemetry's defaults (0-10,000) are made for milliseconds.
public static class LatencyBuckets
{
    public static readonly IReadOnlyList<double> Seconds =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
}
