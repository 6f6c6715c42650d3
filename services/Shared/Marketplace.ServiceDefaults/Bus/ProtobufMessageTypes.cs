using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Marketplace.Events.V1;

namespace Marketplace.ServiceDefaults.Bus;

// The messages the bus may carry, by full protobuf name. A header naming anything else is poison.
public static class ProtobufMessageTypes
{
    static readonly ConcurrentDictionary<string, MessageDescriptor> ByName = new();

    static ProtobufMessageTypes() => Register(EventsReflection.Descriptor);

    public static void Register(FileDescriptor file)
    {
        foreach (var message in file.MessageTypes)
            ByName[message.FullName] = message;
    }

    // The generated CLR types of every registered message.
    public static IEnumerable<Type> All => ByName.Values.Select(d => d.ClrType).Where(t => t is not null);

    public static bool TryGet(string fullName, out MessageDescriptor descriptor) =>
        ByName.TryGetValue(fullName, out descriptor!);

    public static string FullNameOf(Type clrType) => DescriptorOf(clrType).FullName;

    public static MessageDescriptor DescriptorOf(Type clrType) =>
        clrType.GetProperty("Descriptor", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            ?.GetValue(null) as MessageDescriptor
        ?? throw new ArgumentException($"{clrType} is not a generated protobuf message", nameof(clrType));

    public static bool IsProtobuf(Type clrType) => typeof(IMessage).IsAssignableFrom(clrType) && !clrType.IsInterface;
}
