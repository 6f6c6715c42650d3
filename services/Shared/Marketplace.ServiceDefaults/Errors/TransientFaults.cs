using Marketplace.ServiceDefaults.Bus;
using StackExchange.Redis;

namespace Marketplace.ServiceDefaults.Errors;

// Faults of the infrastructure, not of the message: Redis away, slow, loading its data or failing over.
// A consumer waits these out for as long as they last (never a reason to dead-letter); a gRPC call
// answers UNAVAILABLE, which its client may retry.
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
