using Google.Protobuf;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Broker.Exchange;

// Bids and auction results, each change written with its event in one transaction.
//
//   broker:{k}:bid:{id}                        string  the Bid (protobuf bytes)
//   broker:{k}:bid-request:{tenant}:{request}  string  the bid id a tenant's request id made
//   broker:{k}:bids:open                       zset    open bid ids by when placed (ms)
//   broker:{k}:bids:tenant:{tenant}            zset    a tenant's bid ids by when placed (ms)
//   broker:{k}:auctions                        stream  one entry per auction cleared: r = the AuctionResult
//   broker:{k}:auction-runs:{first hour}       string  how many auctions cleared that hour's slots
public sealed class BidStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    const string Open = BrokerKeys.Tag + ":bids:open", Auctions = BrokerKeys.Tag + ":auctions";
    const int AuctionsKept = 10_000;

    IDatabase Db => redis.GetDatabase();

    static string Key(string id) => $"{BrokerKeys.Tag}:bid:{id}";
    static string Tenant(string tenantId) => $"{BrokerKeys.Tag}:bids:tenant:{tenantId}";

    // The bid this tenant's request id already made, or this one, stored as open. A crash between the two
    // writes leaves the request id naming a bid not stored: the retry stores it under that id.
    public async Task<(Bid Bid, bool Existed)> PlaceAsync(Bid bid, Func<Bid, (string Id, IMessage Event)> placed, long nowMs)
    {
        var requestKey = $"{BrokerKeys.Tag}:bid-request:{bid.TenantId}:{bid.RequestId}";
        if (!await Db.StringSetAsync(requestKey, bid.Id, when: When.NotExists))
        {
            var existing = (string)(await Db.StringGetAsync(requestKey))!;
            if (await GetAsync(existing) is { } found)
                return (found, true);
            bid.Id = existing;
        }
        var (eventId, message) = placed(bid);
        var tx = Db.CreateTransaction();
        _ = tx.StringSetAsync(Key(bid.Id), bid.ToByteArray());
        _ = tx.SortedSetAddAsync(Open, bid.Id, nowMs);
        _ = tx.SortedSetAddAsync(Tenant(bid.TenantId), bid.Id, nowMs);
        OutboxStore.Add(tx, eventId, message, nowMs);
        await tx.ExecuteAsync();
        await replicated.AfterAsync(Open);
        return (bid, false);
    }

    // Writes the bid as it now is; an event with it when one is given. A closed bid leaves the open set.
    public async Task SaveAsync(Bid bid, (string Id, IMessage Event)? happened, long nowMs)
    {
        var tx = Db.CreateTransaction();
        _ = tx.StringSetAsync(Key(bid.Id), bid.ToByteArray());
        if (bid.State != BidState.Open)
            _ = tx.SortedSetRemoveAsync(Open, bid.Id);
        if (happened is var (eventId, message))
            OutboxStore.Add(tx, eventId, message, nowMs);
        await tx.ExecuteAsync();
        await replicated.AfterAsync(Open);
    }

    public async Task<Bid?> GetAsync(string id, CancellationToken ct = default)
    {
        var bytes = await Db.StringGetAsync(Key(id)).WaitAsync(ct);
        return bytes.IsNull ? null : Bid.Parser.ParseFrom((byte[])bytes!);
    }

    public async Task<IReadOnlyList<Bid>> OpenAsync(CancellationToken ct = default) =>
        await ManyAsync(await Db.SortedSetRangeByRankAsync(Open).WaitAsync(ct), ct);

    public async Task<IReadOnlyList<Bid>> OfTenantAsync(string tenantId, int offset, int count, CancellationToken ct) =>
        await ManyAsync(await Db.SortedSetRangeByRankAsync(Tenant(tenantId), offset, offset + count - 1, Order.Descending).WaitAsync(ct), ct);

    async Task<IReadOnlyList<Bid>> ManyAsync(RedisValue[] ids, CancellationToken ct)
    {
        if (ids.Length == 0)
            return [];
        var bytes = await Db.StringGetAsync(ids.Select(id => (RedisKey)Key((string)id!)).ToArray()).WaitAsync(ct);
        return bytes.Where(b => !b.IsNull).Select(b => Bid.Parser.ParseFrom((byte[])b!)).ToList();
    }

    // The next auction's number for slots from this hour on: 1 for the first.
    public async Task<long> NextRunAsync(DateTimeOffset firstHour) =>
        await Db.StringIncrementAsync($"{BrokerKeys.Tag}:auction-runs:{firstHour:yyyyMMddTHH}");

    // The market clock passed this hour with nothing to clear: its bids wait for the next hour's auction.
    public Task PassAsync(DateTimeOffset firstHour) =>
        Db.StringSetAsync($"{BrokerKeys.Tag}:auction-runs:{firstHour:yyyyMMddTHH}", 0, when: When.NotExists);

    public async Task<bool> AnyRunAsync(DateTimeOffset firstHour) =>
        (await Db.StringGetAsync($"{BrokerKeys.Tag}:auction-runs:{firstHour:yyyyMMddTHH}")).HasValue;

    // Appends the result with its event; returns the result's cursor.
    public async Task<string> AddAuctionAsync(AuctionResult result, (string Id, IMessage Event) cleared, long nowMs)
    {
        var tx = Db.CreateTransaction();
        var added = tx.StreamAddAsync(Auctions, [new NameValueEntry("r", result.ToByteArray())], maxLength: AuctionsKept, useApproximateMaxLength: true);
        OutboxStore.Add(tx, cleared.Id, cleared.Event, nowMs);
        await tx.ExecuteAsync();
        await replicated.AfterAsync(Open);
        return (string)(await added)!;
    }

    public async Task<IReadOnlyList<AuctionResult>> LatestAuctionsAsync(int count, CancellationToken ct) =>
        Results(await Db.StreamRangeAsync(Auctions, "-", "+", count, Order.Descending).WaitAsync(ct));

    // Results after the cursor, oldest first.
    public async Task<IReadOnlyList<AuctionResult>> AuctionsAfterAsync(string cursor, int count, CancellationToken ct) =>
        Results(await Db.StreamRangeAsync(Auctions, "(" + cursor, "+", count).WaitAsync(ct));

    public async Task<string> NewestCursorAsync(CancellationToken ct)
    {
        var newest = await Db.StreamRangeAsync(Auctions, "-", "+", 1, Order.Descending).WaitAsync(ct);
        return newest.Length == 0 ? "0-0" : (string)newest[0].Id!;
    }

    static List<AuctionResult> Results(StreamEntry[] entries) => entries.Select(e =>
    {
        var result = AuctionResult.Parser.ParseFrom((byte[])e["r"]!);
        result.Cursor = (string)e.Id!;
        return result;
    }).ToList();
}
