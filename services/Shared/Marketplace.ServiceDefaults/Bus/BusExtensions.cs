using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Health;
using Marketplace.ServiceDefaults.Replicas;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.ServiceDefaults.Bus;

public static class BusExtensions
{
    // How long RabbitMQ keeps a replica's own queue once nothing consumes it.
    public static readonly TimeSpan ReplicaQueueExpiry = TimeSpan.FromMinutes(5);

    // Queues are "<prefix>-<message>"; a second, independent instance (a test, another market on the same
    // RabbitMQ) takes a prefix of its own so it gets every event rather than competing for them.
    public static string PrefixOf(IConfiguration configuration, string serviceName) =>
        configuration["Bus:EndpointPrefix"] is { Length: > 0 } custom ? custom : serviceName;

    // The queue of this replica's own for `name`: "<prefix>-<name>-<replica id>".
    public static string ReplicaQueue(string prefix, string name) => $"{prefix}-{name}-{ReplicaIdentity.Id}";

    // A consumer every replica runs for itself (a read model that must see every event), on a queue of its
    // own (ReplicaQueue). Every other consumer competes with the other replicas, one queue per service.
    public static void AddReplicaConsumer<T>(this IBusRegistrationConfigurator bus, string queue) where T : class, IConsumer =>
        bus.AddConsumer<T>().Endpoint(endpoint => endpoint.Name = queue);

    // One bus per service: RabbitMQ, protobuf on the wire, kebab-case queues prefixed with the service's
    // name, quorum queues with a delivery limit, and a host that starts the bus before anything publishes.
    // `declared`: events whose exchanges must exist from start-up, before the first is published.
    public static IHostApplicationBuilder AddMarketplaceBus(this IHostApplicationBuilder builder, string serviceName,
        Action<IBusRegistrationConfigurator>? consumers = null, IReadOnlyList<Type>? declared = null)
    {
        var rabbit = RabbitMqAddress.Parse(builder.Configuration.GetConnectionString("RabbitMq"));
        var prefix = PrefixOf(builder.Configuration, serviceName);

        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });

        // Health "rabbitmq": the bus's own view and a fresh connection to the broker, so a dead or
        // unreachable RabbitMQ is NOT_SERVING at once rather than when a heartbeat finally misses.
        builder.Services.AddSingleton(rabbit);
        builder.Services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: [HealthTags.RabbitMq]);

        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry(); // the market calls nothing outside its own servers
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(prefix, includeNamespace: false));
            consumers?.Invoke(bus);

            bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator replica && name.EndsWith(ReplicaIdentity.Id, StringComparison.Ordinal))
                {
                    // A read model's own queue: gone a while after its replica is (x-expires), so a reconnect keeps
                    // what arrived meanwhile and a replica that died leaves nothing behind. A quorum queue too: a
                    // classic one lives on one node, and while that node is down it can be neither read nor
                    // declared again elsewhere, so the read model would hear nothing until the node is back.
                    replica.SetQuorumQueue();
                    replica.SetQueueArgument("x-expires", (int)ReplicaQueueExpiry.TotalMilliseconds);
                }
                else if (endpoint is IRabbitMqReceiveEndpointConfigurator queue)
                {
                    queue.SetQuorumQueue();
                    // The queue, not the process, counts deliveries: a poison message cannot loop forever.
                    queue.SetQueueArgument("x-delivery-limit", 20);
                }

                // MassTransit's Fault<T> events are not protobuf: a failed message goes to the error queue
                // with its reason in headers instead, and the poison counter says how many.
                endpoint.PublishFaults = false;

                // Infrastructure faults are waited out, however long they last: the message stays unacknowledged
                // in this process, retried with backoff, never dead-lettered for them.
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(TransientFaults.Are);
                    retry.Exponential(int.MaxValue, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5),
                        TimeSpan.FromMilliseconds(300));
                });
                // Anything else gets a few quick tries (Debian's RabbitMQ has no delayed-exchange plugin), then
                // the error queue; poison goes there at once.
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Ignore<PoisonMessageException>();
                    retry.Ignore<Exception>(TransientFaults.Are);
                    retry.Intervals(100, 500, 2000);
                });

                // Whatever reaches the error queue says why, in words, in its `reason` header.
                endpoint.ConfigureError(error =>
                {
                    error.UseFilter(new ReasonHeaderFilter());
                    error.UseFilter(new ErrorTransportFilter());
                });
            });

            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, host =>
                {
                    host.Username(rabbit.Username);
                    host.Password(rabbit.Password);
                    host.PublisherConfirmation = true;
                    // A cluster: each connection attempt takes the next node of the list, so a reconnect after
                    // its node died lands on another one instead of waiting for the dead one to come back.
                    if (rabbit.IsCluster)
                        host.UseCluster(cluster =>
                        {
                            foreach (var node in rabbit.Nodes)
                                cluster.Node(node.ToString());
                        });
                });

                cfg.ClearSerialization();
                cfg.AddSerializer(new ProtobufSerializerFactory());
                cfg.AddDeserializer(new ProtobufSerializerFactory(), isDefault: true);
                cfg.MessageTopology.SetEntityNameFormatter(
                    new ProtobufEntityNameFormatter(cfg.MessageTopology.EntityNameFormatter));
                ProtobufPublishTopology.ExcludeLibraryInterfaces(cfg);
                ProtobufPublishTopology.DeclareAtStart(cfg, declared ?? []);

                cfg.PrefetchCount = 128;
                cfg.ConfigureEndpoints(context);
            });
        });

        return builder;
    }
}
