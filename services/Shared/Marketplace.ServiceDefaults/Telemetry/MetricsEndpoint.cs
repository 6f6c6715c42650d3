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
        ["MassTransit", Bus.BusMetrics.MeterName, BusLagObserver.MeterName, RedisLatencyMeter.MeterName];

    public static MeterProviderBuilder AddMarketplaceMeters(this MeterProviderBuilder metrics, string serviceName) =>
        metrics.AddMeter([.. SharedMeters, $"Marketplace.{serviceName}"]).AddPrometheusExporter();

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
