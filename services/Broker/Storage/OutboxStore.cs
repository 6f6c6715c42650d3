using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using StackExchange.Redis;

namespace Marketplace.Broker.Storage;

// Events written in the same atomic step as the state they describe, until the relay has them confirmed
// by RabbitMQ. An event id is stable, so sending one twice is the same fact twice.
//
//   broker:{k}:outbox        hash  event id -> the event (google.protobuf.Any bytes)
//   broker:{k}:outbox:due    zset  event ids by when they were written (ms)
public sealed class OutboxStore(IConnectionMultiplexer redis)
{
    public const string Events = BrokerKeys.Tag + ":outbox", Due = BrokerKeys.Tag + ":outbox:due";

    IDatabase Db => redis.GetDatabase();

    // Adds the event to a transaction that also writes what it describes.
    public static void Add(ITransaction tx, string eventId, IMessage message, long nowMs)
    {
        _ = tx.HashSetAsync(Events, eventId, Any.Pack(message).ToByteArray());
        _ = tx.SortedSetAddAsync(Due, eventId, nowMs);
    }

    // Events written before `beforeMs` and not yet sent, oldest first.
    public async Task<IReadOnlyList<(string EventId, Any Event)>> DueAsync(long beforeMs, int take)
    {
        var ids = await Db.SortedSetRangeByScoreAsync(Due, double.NegativeInfinity, beforeMs, take: take);
        if (ids.Length == 0)
            return [];
        var bodies = await Db.HashGetAsync(Events, ids);
        var due = new List<(string, Any)>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            if (bodies[i].IsNull)
                await Db.SortedSetRemoveAsync(Due, ids[i]); // sent meanwhile by another relay
            else
                due.Add(((string)ids[i]!, Any.Parser.ParseFrom((byte[])bodies[i]!)));
        }
        return due;
    }

    // How many events wait to be sent, and when the oldest of them was written (ms), for the backlog gauge.
    public async Task<(long Count, long? OldestMs)> BacklogAsync()
    {
        var count = Db.SortedSetLengthAsync(Due);
        var oldest = Db.SortedSetRangeByRankWithScoresAsync(Due, 0, 0);
        return (await count, (await oldest) is [var first] ? (long)first.Score : null);
    }

    public async Task MarkSentAsync(string eventId)
    {
        var tx = Db.CreateTransaction();
        _ = tx.HashDeleteAsync(Events, eventId);
        _ = tx.SortedSetRemoveAsync(Due, eventId);
        await tx.ExecuteAsync();
    }
}
