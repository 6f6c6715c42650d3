using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using MassTransit;
using MassTransit.Serialization;

namespace Marketplace.ServiceDefaults.Bus;

// One received protobuf message, already parsed and checked against its header.
sealed class ProtobufSerializerContext(MessageContext messageContext, IMessage message)
    : BaseSerializerContext(SystemTextJsonMessageSerializer.Instance, messageContext,
        [MessageUrn.ForTypeString(message.GetType())])
{
    public override bool IsSupportedMessageType<T>() => message is T;

    public override bool IsSupportedMessageType(Type messageType) => messageType.IsInstanceOfType(message);

    public override bool TryGetMessage<T>([NotNullWhen(true)] out T? result) where T : class
    {
        result = message as T;
        return result is not null;
    }

    public override bool TryGetMessage(Type messageType, [NotNullWhen(true)] out object? result)
    {
        result = messageType.IsInstanceOfType(message) ? message : null;
        return result is not null;
    }

    public override IMessageSerializer GetMessageSerializer() => ProtobufMessageSerializer.Instance;

    public override IMessageSerializer GetMessageSerializer<T>(MessageEnvelope envelope, T value) =>
        ProtobufMessageSerializer.Instance;

    public override IMessageSerializer GetMessageSerializer(object value, string[] messageTypes) =>
        ProtobufMessageSerializer.Instance;

    public override Dictionary<string, object> ToDictionary<T>(T? value) where T : class =>
        new(StringComparer.OrdinalIgnoreCase);
}
