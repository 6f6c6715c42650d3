using Google.Protobuf;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using StackExchange.Redis;

namespace Marketplace.Broker.Failover;

// The market's latest lease moves, for operators to see what outages did:
//
//   broker:{k}:lease-moves   list   LeaseMoveRecord (protobuf bytes), newest first, the last 1,000
//
// Written after the move's own commit: a view, not the record (that is the lease's `moves`).
public sealed class MoveLog(IConnectionMultiplexer redis)
{
    const string Key = BrokerKeys.Tag + ":lease-moves";
    const int Kept = 1000;

    IDatabase Db => redis.GetDatabase();

    public async Task AddAsync(LeaseMoveRecord record)
    {
        await Db.ListLeftPushAsync(Key, record.ToByteArray());
        await Db.ListTrimAsync(Key, 0, Kept - 1);
    }

    public async Task<IReadOnlyList<LeaseMoveRecord>> LatestAsync(int count) =>
        (await Db.ListRangeAsync(Key, 0, count - 1)).Select(v => LeaseMoveRecord.Parser.ParseFrom((byte[])v!)).ToList();
}
