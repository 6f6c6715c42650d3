using Google.Protobuf;

namespace Marketplace.Testing.Market;

// The bus delivers at least once: an event may come twice under its one id (an outbox re-send after a
// crash or a slow confirm). Tests count facts, so they count each event id once.
public static class EachEventOnce
{
    public static IEnumerable<T> Once<T>(this IEnumerable<IMessage> events) where T : IMessage =>
        events.OfType<T>().DistinctBy(e => (string)e.Descriptor.FindFieldByName("event_id").Accessor.GetValue(e));
}
