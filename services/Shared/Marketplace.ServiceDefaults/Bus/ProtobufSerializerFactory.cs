using System.Net.Mime;
using MassTransit;

namespace Marketplace.ServiceDefaults.Bus;

public sealed class ProtobufSerializerFactory : ISerializerFactory
{
    public ContentType ContentType => ProtobufContentType.Value;

    public IMessageSerializer CreateSerializer() => ProtobufMessageSerializer.Instance;

    public IMessageDeserializer CreateDeserializer() => ProtobufMessageSerializer.Instance;
}
