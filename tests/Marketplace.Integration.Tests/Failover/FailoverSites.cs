using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Integration.Tests.Failover;

// A new site of a provider's in a hub, with one offer of 8 accelerators from the next market hour for 3 days.
static class FailoverSites
{
    public static async Task<Offer> OfferAsync(AcceleratedMarket market, string provider, string name, string hub, string model,
        decimal price, bool interruptible = false, int slaCreditPercent = 0)
    {
        var siteId = Samples.UniqueId($"{hub}-{name}");
        var site = Samples.DataCenter(siteId, provider);
        (site.RegionId, site.HubId, site.City) = (hub, hub, hub);
        await market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = site });
        var offer = Samples.Offer(siteId, price, count: 8, days: 3);
        (offer.AcceleratorModel, offer.Interruptible, offer.SlaCreditPercent) = (model, interruptible, slaCreditPercent);
        var opens = WholeHours.Ceiling(market.Now);
        offer.Availability = new TimeWindow { Start = Timestamp.FromDateTimeOffset(opens), End = Timestamp.FromDateTimeOffset(opens.AddDays(3)) };
        return await market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = offer });
    }
}
