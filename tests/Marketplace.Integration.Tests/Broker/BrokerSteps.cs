using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Integration.Tests.Provider;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Broker;

static class BrokerSteps
{
    // A quote, or null while the catalog has nothing that fits yet.
    public static async Task<QuoteResponse?> TryQuoteAsync(this BrokerService.BrokerServiceClient broker, QuoteRequest request)
    {
        try
        {
            return await broker.RequestQuoteAsync(request);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            return null;
        }
    }

    // Tests share one market; each prices its offers in a band of its own so quotes find only them.
    public static async Task<Offer> OfferInBandAsync(this MarketUnderTest market, decimal price, int count)
    {
        var siteId = Samples.UniqueId("broker-site");
        await market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) });
        return await market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = Samples.Offer(siteId, price, count) });
    }

    public static QuoteRequest Batch(string tenant, int accelerators, int hoursEach, decimal ceiling) => new()
    {
        TenantId = tenant,
        AcceleratorHours = new AcceleratorHours { AcceleratorModel = "H20", Hours = accelerators * hoursEach },
        Accelerators = accelerators,
        Window = new TimeWindow
        {
            Start = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            End = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(3)),
        },
        Workload = WorkloadKind.Batch,
        PriceCeilingPerHour = Money.FromDecimal(ceiling, "CNY"),
    };

    public static Task<Quote> QuoteOnAsync(this MarketUnderTest market, QuoteRequest request, Offer offer) =>
        market.QuoteOnAsyncWith(market.BrokerClient, request, offer);

    public static Task<Quote> QuoteOnAsyncWith(this MarketUnderTest _, BrokerService.BrokerServiceClient broker,
        QuoteRequest request, Offer offer) =>
        Eventually.GetAsync(async () => (await broker.TryQuoteAsync(request))?.Options
            .FirstOrDefault(q => q.Placements.All(p => p.OfferId == offer.Id)), $"a quote on {offer.Id}");
}
