using Google.Protobuf;
using Marketplace.Broker.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// The leases billing has heard of, with the prices their usage is rated at.
public sealed class LeaseStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    IDatabase Db => redis.GetDatabase();

    public async Task SaveAsync(Lease lease)
    {
        await Db.StringSetAsync(BillingKeys.Lease(lease.Id), lease.ToByteArray());
        await replicated.AfterAsync(BillingKeys.Lease(lease.Id));
    }

    public async Task<Lease?> GetAsync(string id)
    {
        var bytes = await Db.StringGetAsync(BillingKeys.Lease(id));
        return bytes.IsNull ? null : Lease.Parser.ParseFrom((byte[])bytes!);
    }
}
