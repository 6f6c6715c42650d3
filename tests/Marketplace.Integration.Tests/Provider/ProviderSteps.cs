using Google.Protobuf.WellKnownTypes;
using Marketplace.Provider.V1;

namespace Marketplace.Integration.Tests.Provider;

// Arrange steps shared by the provider's tests: a fresh site and offer each time.
static class ProviderSteps
{
    public static async Task<Offer> NewOfferAsync(this ProviderService.ProviderServiceClient provider, int count,
        int days = 2, string site = "site")
    {
        var siteId = Samples.UniqueId(site);
        await provider.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) });
        return await provider.PublishOfferAsync(new PublishOfferRequest { Offer = Samples.Offer(siteId, count: count, days: days) });
    }

    public static HoldCapacityRequest Hold(Offer offer, int units, int fromHour, int hours, double ttlSeconds = 60,
        string key = "") => new()
    {
        OfferId = offer.Id,
        Units = units,
        Window = Samples.Hours(offer.Availability.Start.ToDateTimeOffset(), fromHour, hours),
        Ttl = Duration.FromTimeSpan(TimeSpan.FromSeconds(ttlSeconds)),
        IdempotencyKey = key,
    };

    public static async Task<IReadOnlyList<CapacitySlot>> SlotsAsync(this ProviderService.ProviderServiceClient provider,
        Offer offer) =>
        (await provider.GetCapacityAsync(new GetCapacityRequest { OfferId = offer.Id })).Slots;
}
