using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Marketplace.ServiceDefaults.Grpc;

// A gRPC client whose calls spread over every replica of the service it calls. HTTP/2 keeps one connection
// open, so a client given one Kubernetes Service address talks to one pod for as long as that connection
// lives. The address says how to find the replicas:
//   http://host:port                     one address, as before (no client-side balancing)
//   dns:///provider-headless:8080        every address the name resolves to (a headless Service), re-read
//                                        every DnsRefresh and whenever a connection fails; round_robin
//   static:///host1:port1,host2:port2    the listed addresses; round_robin
// Only the calls named idempotent are retried, on Unavailable (a replica gone or not reachable), within the
// call's own deadline: a retry that reaches another replica must not do the work twice.
public static class BalancedChannel
{
    static readonly TimeSpan DnsRefresh = TimeSpan.FromSeconds(30);

    // Five tries in all (the channel's own limit), each after a random pause of up to 0.2, 0.4, 0.8 and 1 s:
    // time for a dead replica's connection to be seen as failed and left out by the balancer.
    static RetryPolicy Retry() => new()
    {
        MaxAttempts = 5,
        InitialBackoff = TimeSpan.FromMilliseconds(200),
        MaxBackoff = TimeSpan.FromSeconds(1),
        BackoffMultiplier = 2,
        RetryableStatusCodes = { StatusCode.Unavailable },
    };

    public static IHttpClientBuilder AddBalancedGrpcClient<TClient>(this IServiceCollection services, Uri address,
        ServiceDescriptor service, params string[] idempotent) where TClient : class
    {
        var balanced = IsBalanced(address);
        if (balanced)
            services.AddReplicaResolvers();
        var config = ServiceConfigFor(service, idempotent, balanced);
        return services.AddGrpcClient<TClient>(o => o.Address = address)
            // One connection per replica, and more to one replica once its 100 concurrent streams are in use.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            })
            .ConfigureChannel(channel =>
            {
                channel.ServiceConfig = config;
                // Not http:// or https://: the scheme says nothing about TLS; the market's network is h2c.
                if (balanced)
                    channel.Credentials = ChannelCredentials.Insecure;
            });
    }

    public static bool IsBalanced(Uri address) =>
        address.Scheme is not ("http" or "https");

    // The addresses of a static:/// address, in order.
    public static IReadOnlyList<BalancerAddress> StaticAddresses(Uri address) =>
        Uri.UnescapeDataString(address.AbsolutePath).Trim('/').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseHostPort).ToList() is { Count: > 0 } list
            ? list
            : throw new ArgumentException($"'{address}' lists no host:port", nameof(address));

    static BalancerAddress ParseHostPort(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], out var port))
            throw new ArgumentException($"'{hostPort}' is not host:port");
        return new BalancerAddress(hostPort[..colon].Trim('[', ']'), port);
    }

    static ServiceConfig ServiceConfigFor(ServiceDescriptor service, string[] idempotent, bool balanced)
    {
        var config = new ServiceConfig();
        if (balanced)
            config.LoadBalancingConfigs.Add(new RoundRobinConfig());
        if (idempotent.Length > 0)
        {
            var retried = new MethodConfig { RetryPolicy = Retry() };
            foreach (var method in idempotent)
            {
                if (service.FindMethodByName(method) is null)
                    throw new ArgumentException($"{service.FullName} has no method {method}", nameof(idempotent));
                retried.Names.Add(new MethodName { Service = service.FullName, Method = method });
            }
            config.MethodConfigs.Add(retried);
        }
        return config;
    }

    // The channel finds resolvers by scheme among the app's services: dns (re-read on a timer, so new
    // replicas join) and static (the list in the address itself).
    static void AddReplicaResolvers(this IServiceCollection services)
    {
        services.TryAddEnumerable(Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton<ResolverFactory, DnsResolverFactory>(
            _ => new DnsResolverFactory(DnsRefresh)));
        services.TryAddEnumerable(Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton<ResolverFactory, StaticResolverFactory>(
            _ => new StaticResolverFactory(StaticAddresses)));
    }
}
