using Marketplace.ServiceDefaults.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Marketplace.ServiceDefaults.Redis;

public static class RedisExtensions
{
    public const string DefaultConnectionString = "127.0.0.1:6379";

    // One multiplexer per service: it is thread-safe and built to be shared.
    public static IHostApplicationBuilder AddMarketplaceRedis(this IHostApplicationBuilder builder)
    {
        var options = ConfigurationOptions.Parse(
            builder.Configuration.GetConnectionString("Redis") ?? DefaultConnectionString);
        options.AbortOnConnectFail = false; // keep retrying in the background; health says when it is down

        // Connected here, before the host starts: a lazy first connect under a burst of consumers (a
        // restart with a backlog) would block thread-pool threads while the pool is still small.
        var multiplexer = ConnectionMultiplexer.Connect(options);
        builder.Services.AddSingleton<IConnectionMultiplexer>(multiplexer);
        // On Redis with replicas: how many must have a write the market keeps before it is answered.
        builder.Services.AddSingleton(new ReplicatedWrites(multiplexer,
            builder.Configuration.GetValue("Redis:WaitForReplicas", 0),
            TimeSpan.FromMilliseconds(builder.Configuration.GetValue("Redis:ReplicaTimeoutMs", 2000))));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthTags.Redis]);
        builder.Services.AddSingleton(new Replicas.RunnerLease(multiplexer)); // work that runs once across replicas
        return builder;
    }
}
