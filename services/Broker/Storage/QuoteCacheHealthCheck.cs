using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Marketplace.Broker.Storage;

// The quote cache answers a PING within 2 s. Health service "quote-cache" only, not the broker's overall
// status: while it is away the broker still quotes and answers accepts of committed quotes.
public sealed class QuoteCacheHealthCheck(QuoteCache cache) : IHealthCheck
{
    public const string Name = "quote-cache";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await cache.Redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("the quote cache does not answer: quotes given out now cannot be accepted", ex);
        }
    }
}
