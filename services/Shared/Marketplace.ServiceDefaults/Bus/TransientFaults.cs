using StackExchange.Redis;

namespace Marketplace.ServiceDefaults.Bus;

// Faults of the infrastructure, not of the message: Redis away, slow, loading its data or failing over.
// A consumer waits these out for as long as they last; they are never a reason to dead-letter.
public static class TransientFaults
{
    static readonly string[] RedisBusyReplies = ["LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "READONLY", "CLUSTERDOWN"];

    public static bool Are(Exception ex) => ex switch
    {
        PoisonMessageException => false,
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,
        RedisServerException server => RedisBusyReplies.Any(r => server.Message.StartsWith(r, StringComparison.Ordinal)),
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(Are),
        _ => ex.InnerException is { } inner && Are(inner),
    };
}
