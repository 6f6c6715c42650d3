using System.Runtime.Serialization;

namespace Marketplace.ServiceDefaults.Bus;

// A message that can never be applied: bytes that are not what their header claims, or a fact that
// makes no sense. Not retried; MassTransit moves it to the queue's error queue. Always counted.
public sealed class PoisonMessageException : SerializationException
{
    PoisonMessageException(string reason, string detail, Exception? inner) : base(detail, inner) => Reason = reason;

    // The header of an error-queue message that says, in words, why it is there.
    public const string ReasonHeader = "reason";

    // In words, for the error queue's `reason` header and the poison counter: "unparseable body".
    public string Reason { get; }

    public static PoisonMessageException Counted(string reason, string detail, Exception? inner = null)
    {
        BusMetrics.CountPoison(reason);
        return new PoisonMessageException(reason, detail, inner);
    }
}
