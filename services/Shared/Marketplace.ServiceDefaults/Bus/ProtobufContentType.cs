using System.Net.Mime;

namespace Marketplace.ServiceDefaults.Bus;

// What a foreign consumer needs to read a bus message: the content type and the header naming the type.
public static class ProtobufContentType
{
    public const string MediaType = "application/x-protobuf";

    // The message's full protobuf name, e.g. "marketplace.events.v1.UsageRecorded".
    public const string MessageTypeHeader = "proto-message-type";

    public static readonly ContentType Value = new(MediaType);
}
