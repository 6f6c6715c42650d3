using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests;

[Collection(MarketCollection.Name)]
public sealed class Publishing_an_offer(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Reaches_the_brokers_catalog_over_the_bus_and_a_tenants_quote_returns_it()
    {
        var siteId = Samples.UniqueId("e2e-site");
        await _market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) });

        var offer = await _market.ProviderClient.PublishOfferAsync(new PublishOfferRequest
        {
            Offer = Samples.Offer(siteId, pricePerHour: 0.005m), // a price band of its own among the tests
            IdempotencyKey = Samples.UniqueId("publish"),
        });

        var request = new QuoteRequest
        {
            TenantId = "tenant-shanghai-ai",
            AcceleratorHours = new AcceleratorHours { AcceleratorModel = "H20", Hours = 64 },
            Accelerators = 8,
            Window = new TimeWindow
            {
                Start = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                End = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(3)),
            },
            Workload = WorkloadKind.Batch,
            PriceCeilingPerHour = Money.FromDecimal(0.005m, "CNY"),
        };
        var quote = await Eventually.GetAsync(async () =>
                (await _market.BrokerClient.TryQuoteAsync(request))?.Options
                .FirstOrDefault(q => q.Placements.Any(p => p.OfferId == offer.Id)),
            $"a quote on offer {offer.Id}");

        var placement = Assert.Single(quote.Placements);
        Assert.Equal(siteId, placement.DatacenterId);
        Assert.Equal(8, placement.Units);
        Assert.Equal(8 * 8 * 0.005m, quote.Breakdown.Total.ToDecimal()); // 8 accelerators x 8 hours x 0.005
        Assert.Equal(8, (quote.Window.End.ToDateTimeOffset() - quote.Window.Start.ToDateTimeOffset()).TotalHours);
        Assert.Equal(QuoteState.Open, (await _market.BrokerClient.GetQuoteAsync(new GetQuoteRequest { QuoteId = quote.Id })).State);
    }
}
