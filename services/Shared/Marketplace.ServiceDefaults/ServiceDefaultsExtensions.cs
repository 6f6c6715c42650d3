using Grpc.AspNetCore.HealthChecks;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Grpc;
using Marketplace.ServiceDefaults.Health;
using Marketplace.ServiceDefaults.OpenApi;
using Marketplace.ServiceDefaults.Redis;
using Marketplace.ServiceDefaults.Telemetry;
using Marketplace.ServiceDefaults.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Marketplace.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    // No request of the market's contract comes near this; anything bigger is refused unread.
    public const int MaxRequestBytes = 1024 * 1024;

    // What every Marketplace service has: gRPC with its error mapping, health, reflection, telemetry and
    // /metrics, the OpenAPI description of its JSON routes, Redis, and the market clock.
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName,
        int defaultPort)
    {
        // Each service has its own default port so all three run side by side; --urls overrides it.
        ServiceEndpoints.Configure(builder, defaultPort);

        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ErrorInterceptor>();
            grpc.EnableDetailedErrors = builder.Environment.IsDevelopment();
            grpc.MaxReceiveMessageSize = MaxRequestBytes;
        }).AddJsonTranscoding(json =>
        {
            // The proto3 JSON mapping: 64-bit integers as strings (JavaScript numbers lose precision past 2^53).
            json.JsonSettings.WriteInt64sAsStrings = true;
        });
        // Before the strict binder replaces gRPC's own: the OpenAPI set-up calls AddGrpc again.
        builder.AddOpenApiDescription(serviceName);
        builder.Services.AddStrictRequestParsing();
        // HTTP/JSON bodies have the same bound; gRPC applies its own, per message, above.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBytes);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(health =>
        {
            health.Services.Map("", r => !r.Tags.Contains(HealthTags.Aside));
            health.Services.Map(HealthTags.Redis, r => r.Tags.Contains(HealthTags.Redis));
            health.Services.Map(HealthTags.RabbitMq, r => r.Tags.Contains(HealthTags.RabbitMq) || r.Tags.Contains(HealthTags.MassTransit));
            health.UseHealthChecksCache = false; // answer from a fresh check, not a 30-second-old one
        });

        builder.AddMarketplaceAuth();
        builder.AddMarketplaceRedis();
        builder.AddMarketClock();
        builder.AddTelemetry(serviceName);
        return builder;
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseOpenApiPage();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        app.MapOpenApiDocument();
        app.MapMetrics();
        return app;
    }

    static void AddMarketClock(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MarketClockOptions.Section).Get<MarketClockOptions>()
                      ?? new MarketClockOptions();
        builder.Services.AddSingleton<TimeProvider>(
            options.Speed == 1 && options.Epoch is null && options.Anchor is null ? TimeProvider.System : new MarketClock(options));
    }

    static void AddTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics.AddMarketplaceMeters(serviceName));
        builder.Services.AddSharedInstruments();

        // Export only where a collector is configured (OTEL_EXPORTER_OTLP_ENDPOINT); without one, traces
        // are not even recorded: an activity per call costs more than a cheap call itself.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            return;
        otel.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource("MassTransit"))
            .UseOtlpExporter();
    }
}
