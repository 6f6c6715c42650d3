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
}
