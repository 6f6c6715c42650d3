using MassTransit;

namespace Marketplace.ServiceDefaults.Bus;

// Exchanges are named after the full protobuf name ("marketplace.events.v1.CapacityChanged"),
// which a foreign consumer knows from the .proto alone.
public sealed class ProtobufEntityNameFormatter(IEntityNameFormatter fallback) : IEntityNameFormatter
{
    public string FormatEntityName<T>() =>
        ProtobufMessageTypes.IsProtobuf(typeof(T))
            ? ProtobufMessageTypes.FullNameOf(typeof(T))
            : fallback.FormatEntityName<T>();
}
