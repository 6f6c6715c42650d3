using Google.Protobuf;
using MassTransit;

namespace Marketplace.ServiceDefaults.Bus;

// MassTransit publishes to an exchange per implemented interface too. The protobuf runtime's own
// interfaces are no market fact: exclude them so each event has exactly one exchange.
static class ProtobufPublishTopology
{
    public static void ExcludeLibraryInterfaces(IRabbitMqBusFactoryConfigurator cfg)
    {
        cfg.Publish(typeof(IMessage), p => p.Exclude = true);
        cfg.Publish(typeof(IBufferMessage), p => p.Exclude = true);
        foreach (var message in ProtobufMessageTypes.All)
        {
            cfg.Publish(typeof(IMessage<>).MakeGenericType(message), p => p.Exclude = true);
            cfg.Publish(typeof(IDeepCloneable<>).MakeGenericType(message), p => p.Exclude = true);
        }
    }

    // MassTransit declares an exchange on its first publish. An event published rarely (an invoice at the
    // end of a billing period) would leave a foreign consumer nothing to bind its queue to until then:
    // these are declared when the bus starts.
    public static void DeclareAtStart(IRabbitMqBusFactoryConfigurator cfg, IReadOnlyList<Type> events)
    {
        if (events.Count == 0)
            return;
        cfg.DeployPublishTopology = true;
        foreach (var type in events)
            cfg.Publish(type, _ => { });
    }
}
