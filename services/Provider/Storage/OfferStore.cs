using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Provider.Storage;

// Offers as stored by calendar.lua, with the version the calendar keeps beside them.
public sealed class OfferStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    IDatabase Db => redis.GetDatabase();

    // Claims an idempotency key for a new offer id; returns the id that already holds it, if any.
    public async Task<string?> ClaimPublishKeyAsync(string idempotencyKey, string offerId)
    {
        var key = ProviderKeys.PublishIdempotency(idempotencyKey);
        if (await Db.StringSetAsync(key, offerId, TimeSpan.FromDays(1), When.NotExists))
            return null;
        return await Db.StringGetAsync(key);
    }

    // The index that lists offers; adding twice is harmless.
    public async Task IndexAsync(string offerId)
    {
        await Db.SetAddAsync(ProviderKeys.Offers, offerId);
        await replicated.AfterAsync(ProviderKeys.Offers);
    }

    // The token abandons the wait, not the read: Redis commands cannot be called back.
    public async Task<Offer?> GetAsync(string id, CancellationToken ct = default)
    {
        var keys = ProviderKeys.Calendar(id);
        var versionKey = keys[6];
        var batch = Db.CreateBatch();
        var bytes = batch.StringGetAsync(ProviderKeys.Offer(id));
        var version = batch.StringGetAsync(versionKey);
        batch.Execute();
        await Task.WhenAll(bytes, version).WaitAsync(ct);
        if ((await bytes).IsNull)
            return null;
        var offer = Offer.Parser.ParseFrom((byte[])(await bytes)!);
        offer.Version = (long)(await version);
        return offer;
    }

    public async Task<IReadOnlyList<string>> IdsAsync() =>
        (await Db.SetMembersAsync(ProviderKeys.Offers)).Select(id => (string)id!).ToList();

    public async Task<IReadOnlyList<Offer>> ListAsync()
    {
        // One read per offer rather than MGET: each offer has its own hash tag, so its own cluster slot.
        var offers = await Task.WhenAll((await IdsAsync()).Select(id => GetAsync(id)));
        return offers.OfType<Offer>().ToList();
    }
}
