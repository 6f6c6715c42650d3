using Google.Protobuf;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Provider.Storage;

// Outages, kept for good: the meter reads a data center's outages to know which hours were not delivered.
// Each is also marked unannounced until its latest event is on the bus.
public sealed class OutageStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    IDatabase Db => redis.GetDatabase();

    // Claims an idempotency key for a new outage id; returns the id that already holds it, if any.
    public async Task<string?> ClaimKeyAsync(string idempotencyKey, string outageId)
    {
        var key = ProviderKeys.OutageIdempotency(idempotencyKey);
        if (await Db.StringSetAsync(key, outageId, TimeSpan.FromDays(7), When.NotExists))
            return null;
        return await Db.StringGetAsync(key);
    }

    // Saved first, then indexed, then marked to announce: an outage in the index is always readable.
    public async Task SaveAsync(Outage outage)
    {
        await Db.StringSetAsync(ProviderKeys.Outage(outage.Id), outage.ToByteArray());
        await Db.SortedSetAddAsync(ProviderKeys.DataCenterOutages(outage.DatacenterId), outage.Id,
            outage.Start.ToDateTimeOffset().ToUnixTimeMilliseconds());
        await Db.SetAddAsync(ProviderKeys.UnannouncedOutages, outage.Id);
        await replicated.AfterAsync(ProviderKeys.Outage(outage.Id), ProviderKeys.DataCenterOutages(outage.DatacenterId),
            ProviderKeys.UnannouncedOutages);
    }

    public async Task<Outage?> GetAsync(string id)
    {
        var bytes = await Db.StringGetAsync(ProviderKeys.Outage(id));
        return bytes.IsNull ? null : Outage.Parser.ParseFrom((byte[])bytes!);
    }

    public async Task<IReadOnlyList<Outage>> OfDataCenterAsync(string datacenterId)
    {
        var ids = await Db.SortedSetRangeByRankAsync(ProviderKeys.DataCenterOutages(datacenterId));
        var outages = await Task.WhenAll(ids.Select(id => GetAsync(id!)));
        return outages.OfType<Outage>().ToList();
    }

    public async Task<IReadOnlyList<string>> UnannouncedAsync() =>
        (await Db.SetMembersAsync(ProviderKeys.UnannouncedOutages)).Select(v => (string)v!).ToList();

    public Task MarkAnnouncedAsync(string id) => Db.SetRemoveAsync(ProviderKeys.UnannouncedOutages, id);
}
