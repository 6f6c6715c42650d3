using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Marketplace.ServiceDefaults.Telemetry;

// The service's instruments at /metrics in Prometheus's text format, for a scraper on the HTTP/1.1 port
// (JsonUrls). Anonymous, like health: the figures are counts and latencies, with no tenant in a label.
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    // The meters every service has; each service adds its own ("Marketplace.<service>").
    public static readonly string[] SharedMeters =
        ["MassTransit", Bus.BusMetrics.MeterName, BusLagObserver.MeterName, RedisLatencyMeter.MeterName, HostingMeter];

    // ASP.NET Core's request durations by route, and none of its other instruments on the request path:
    // each is a tagged update on every call (active requests, Kestrel's queues, routing, sign-in and
    // authorization attempts were together about 4% of the machine under the cheapest RPC's load). Only
    // the hosting meter is listened to, and of it the active-requests gauge is dropped, in the one view
    // below: where several views match an instrument, each makes a stream, so a drop must be that view's.
    const string HostingMeter = "Microsoft.AspNetCore.Hosting";
    static readonly HashSet<string> Dropped = new(["http.server.active_requests"], StringComparer.Ordinal);

    // OpenTelemetry allocates every series a stream may ever hold up front: 2,000 by default, about 150 KB
    // a stream, over 8 MB of a service's heap for its ~50 instruments (most of them MassTransit's, mostly
    // unused). Our labels are message types, outcomes, routes: far fewer. Series past the limit fold into
    // one otel_metric_overflow series, so a wrong guess shows on /metrics instead of failing.
    const int SeriesPerStream = 200, SeriesPerRequestStream = 1000;

    public static MeterProviderBuilder AddMarketplaceMeters(this MeterProviderBuilder metrics, string serviceName) =>
        metrics.AddMeter([.. SharedMeters, $"Marketplace.{serviceName}"])
            .AddView(instrument => Dropped.Contains(instrument.Name) ? MetricStreamConfiguration.Drop : new MetricStreamConfiguration
            {
                CardinalityLimit = instrument.Name.StartsWith("http.server.", StringComparison.Ordinal) ? SeriesPerRequestStream : SeriesPerStream,
            })
            .AddPrometheusExporter();

    public static IServiceCollection AddSharedInstruments(this IServiceCollection services)
    {
        services.AddHostedService<RedisLatencyMeter>();
        services.AddConsumeObserver<BusLagObserver>();
        return services;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(Path).AllowAnonymous();
        return app;
    }
}
