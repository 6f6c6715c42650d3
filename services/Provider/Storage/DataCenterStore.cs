using Google.Protobuf;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Provider.Storage;

public sealed class DataCenterStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    IDatabase Db => redis.GetDatabase();

    // Creates the data center unless its id is taken; false when it was.
    public async Task<bool> TryAddAsync(DataCenter datacenter)
    {
        var created = await Db.StringSetAsync(ProviderKeys.DataCenter(datacenter.Id), datacenter.ToByteArray(),
            when: When.NotExists);
        if (created)
        {
            await Db.SetAddAsync(ProviderKeys.DataCenters, datacenter.Id);
            await replicated.AfterAsync(ProviderKeys.DataCenter(datacenter.Id), ProviderKeys.DataCenters);
        }
        return created;
    }

    public async Task ReplaceAsync(DataCenter datacenter)
    {
        await Db.StringSetAsync(ProviderKeys.DataCenter(datacenter.Id), datacenter.ToByteArray());
        await replicated.AfterAsync(ProviderKeys.DataCenter(datacenter.Id));
    }

    // The token abandons the wait, not the read: Redis commands cannot be called back.
    public async Task<DataCenter?> GetAsync(string id, CancellationToken ct = default)
    {
        var bytes = await Db.StringGetAsync(ProviderKeys.DataCenter(id)).WaitAsync(ct);
        return bytes.IsNull ? null : DataCenter.Parser.ParseFrom((byte[])bytes!);
    }

    public async Task<IReadOnlyList<DataCenter>> ListAsync(CancellationToken ct = default)
    {
        var ids = await Db.SetMembersAsync(ProviderKeys.DataCenters).WaitAsync(ct);
        // One GET per key rather than MGET: on Redis Cluster the keys live in different slots.
        var datacenters = await Task.WhenAll(ids.Select(id => GetAsync(id!, ct)));
        return datacenters.OfType<DataCenter>().ToList();
    }
}
