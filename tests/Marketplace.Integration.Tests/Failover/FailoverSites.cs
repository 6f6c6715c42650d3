using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Time;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Failover;

// A new site of a provider's in a hub, with one offer of 8 accelerators from the next market hour for 3 days;
// a lease there.
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

    // A lease of the request's option that places it all at that offer alone, once the broker quotes it.
    public static async Task<Lease> LeaseAtAsync(AcceleratedMarket market, QuoteRequest request, Offer offer)
    {
        var quote = await Eventually.GetAsync(async () => (await market.BrokerClient.TryQuoteAsync(request))?.Options
            .FirstOrDefault(o => o.Placements.Count == 1 && o.Placements[0].OfferId == offer.Id), $"a quote at {offer.Id}");
        return await market.BrokerClient.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = Samples.UniqueId("k") });
    }
}
