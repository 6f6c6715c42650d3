using Google.Protobuf;
using Marketplace.Provider.V1;
using StackExchange.Redis;

namespace Marketplace.Provider.Storage;

public sealed class OfferStore(IConnectionMultiplexer redis)
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

    public async Task<bool> TryAddAsync(Offer offer)
    {
        var created = await Db.StringSetAsync(ProviderKeys.Offer(offer.Id), offer.ToByteArray(), when: When.NotExists);
        if (created)
            await Db.SetAddAsync(ProviderKeys.Offers, offer.Id);
        return created;
    }

    public async Task<Offer?> GetAsync(string id)
    {
        var bytes = await Db.StringGetAsync(ProviderKeys.Offer(id));
        return bytes.IsNull ? null : Offer.Parser.ParseFrom((byte[])bytes!);
    }

    public async Task<IReadOnlyList<Offer>> ListAsync()
    {
        var ids = await Db.SetMembersAsync(ProviderKeys.Offers);
        // One GET per key rather than MGET: each offer has its own hash tag, so its own cluster slot.
        var offers = await Task.WhenAll(ids.Select(id => GetAsync(id!)));
        return offers.OfType<Offer>().ToList();
    }
}
