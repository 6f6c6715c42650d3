using Google.Protobuf;
using Marketplace.Provider.V1;
using StackExchange.Redis;

namespace Marketplace.Provider.Storage;

public sealed class DataCenterStore(IConnectionMultiplexer redis)
{
    IDatabase Db => redis.GetDatabase();

    // Creates the data center unless its id is taken; false when it was.
    public async Task<bool> TryAddAsync(DataCenter datacenter)
    {
        var created = await Db.StringSetAsync(ProviderKeys.DataCenter(datacenter.Id), datacenter.ToByteArray(),
            when: When.NotExists);
        if (created)
            await Db.SetAddAsync(ProviderKeys.DataCenters, datacenter.Id);
        return created;
    }

    public Task ReplaceAsync(DataCenter datacenter) =>
        Db.StringSetAsync(ProviderKeys.DataCenter(datacenter.Id), datacenter.ToByteArray());

    public async Task<DataCenter?> GetAsync(string id)
    {
        var bytes = await Db.StringGetAsync(ProviderKeys.DataCenter(id));
        return bytes.IsNull ? null : DataCenter.Parser.ParseFrom((byte[])bytes!);
    }

    public async Task<IReadOnlyList<DataCenter>> ListAsync()
    {
        var ids = await Db.SetMembersAsync(ProviderKeys.DataCenters);
        // One GET per key rather than MGET: on Redis Cluster the keys live in different slots.
        var datacenters = await Task.WhenAll(ids.Select(id => GetAsync(id!)));
        return datacenters.OfType<DataCenter>().ToList();
    }
}
