using System.Net.Mime;
using Google.Protobuf;
using MassTransit;
using MassTransit.Serialization;

namespace Marketplace.ServiceDefaults.Bus;

// Bus messages as bare protobuf bytes, not MassTransit's JSON envelope, so any AMQP client can read them
// with the .proto alone. The type travels in a header; the reader checks it before parsing.
public sealed class ProtobufMessageSerializer : IMessageSerializer, IMessageDeserializer
{
    public static readonly ProtobufMessageSerializer Instance = new();

    public ContentType ContentType => ProtobufContentType.Value;

    public MessageBody GetMessageBody<T>(SendContext<T> context) where T : class
    {
        if (context.Message is not IMessage message)
            throw new ArgumentException($"{typeof(T)} is not a protobuf message; only protos/ messages go on the bus");

        context.Headers.Set(ProtobufContentType.MessageTypeHeader, message.Descriptor.FullName);
        return new BytesMessageBody(message.ToByteArray());
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateScope("protobuf");
        scope.Add("contentType", ContentType.MediaType);
    }

    public ConsumeContext Deserialize(ReceiveContext receiveContext) =>
        new BodyConsumeContext(receiveContext,
            Deserialize(receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress));

    public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null)
    {
        var message = Read(body.GetBytes(), headers.Get<string>(ProtobufContentType.MessageTypeHeader));
        var messageContext = new RawMessageContext(headers, destinationAddress, RawSerializerOptions.Default);
        return new ProtobufSerializerContext(messageContext, message);
    }

    public MessageBody GetMessageBody(string text) => new StringMessageBody(text);

    // Header first: protobuf bytes do not name their type, and almost any bytes parse as almost any message.
    public static IMessage Read(ReadOnlySpan<byte> bytes, string? typeName)
    {
        if (string.IsNullOrEmpty(typeName))
            throw Poison("no type header", $"no {ProtobufContentType.MessageTypeHeader} header");
        if (!ProtobufMessageTypes.TryGet(typeName, out var descriptor))
            throw Poison("unknown type header", $"unknown message type '{typeName}'");

        IMessage message;
        try
        {
            message = descriptor.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Poison("unparseable body", $"body is not a valid {typeName}: {ex.Message}", ex);
        }

        // Every event names itself; one without an id cannot be deduplicated and is not ours.
        var eventId = descriptor.FindFieldByName("event_id");
        if (eventId is not null && string.IsNullOrEmpty(eventId.Accessor.GetValue(message) as string))
            throw Poison("no event id", $"{typeName} has no event_id");

        return message;
    }

    static PoisonMessageException Poison(string reason, string detail, Exception? inner = null) =>
        PoisonMessageException.Counted(reason, detail, inner);
}
