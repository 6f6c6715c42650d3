using System.Threading.RateLimiting;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Broker.Grpc;

// Each tenant's own budget of quotes and accepts a second (a token bucket, bursts of twice the rate),
// so one noisy tenant cannot slow the others down. Operators and services are the platform: not limited.
// Over budget: RESOURCE_EXHAUSTED, with how long to wait in the `retry-after-ms` trailer.
public sealed class TenantRateLimits : IDisposable
{
    readonly PartitionedRateLimiter<string> _quotes, _accepts;

    public TenantRateLimits(BrokerOptions options)
    {
        _quotes = PerTenant(options.TenantQuotesPerSecond);
        _accepts = PerTenant(options.TenantAcceptsPerSecond);
    }

    public void TakeQuote(Caller caller) => Take(_quotes, caller, "quotes");

    public void TakeAccept(Caller caller) => Take(_accepts, caller, "accepts");

    static void Take(PartitionedRateLimiter<string> limiter, Caller caller, string what)
    {
        if (caller.Role != MarketRoles.Tenant)
            return;
        using var lease = limiter.AttemptAcquire(caller.Subject);
        if (lease.IsAcquired)
            return;
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        throw new ExhaustedException($"tenant '{caller.Subject}' is over its limit of {what} a second; retry in {wait.TotalMilliseconds:0} ms")
        {
            Details = new Dictionary<string, string> { ["retry-after-ms"] = ((long)Math.Ceiling(wait.TotalMilliseconds)).ToString() },
        };
    }

    static PartitionedRateLimiter<string> PerTenant(int perSecond) =>
        PartitionedRateLimiter.Create<string, string>(tenant => RateLimitPartition.GetTokenBucketLimiter(tenant, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, perSecond * 2),
                TokensPerPeriod = Math.Max(1, perSecond),
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    public void Dispose()
    {
        _quotes.Dispose();
        _accepts.Dispose();
    }
}
