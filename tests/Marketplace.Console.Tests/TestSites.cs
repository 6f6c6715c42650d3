using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Console.Tests;

// Data centers and offers registered through the provider (as the market's operator may for anyone),
// with real coordinates, so the pages have something to plot and the broker something to sell.
static class TestSites
{
    public static async Task<DataCenter> RegisterAsync(MarketUnderTest market, string id, string region, string hub,
        string city, double latitude, double longitude, CancellationToken ct = default) =>
        await market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest
        {
            Datacenter = new DataCenter
            {
                Id = id, ProviderId = "console-test-provider", Name = $"{city} test site", RegionId = region, City = city,
                HubId = hub, Latitude = latitude, Longitude = longitude, Pue = 1.2, GreenPowerShare = 0.5,
                ElectricityPricePerKwh = Money.FromDecimal(0.40m, "CNY"),
                TransferInPricePerGb = Money.FromDecimal(0m, "CNY"),
                TransferOutPricePerGb = Money.FromDecimal(0.2m, "CNY"),
            },
        }, cancellationToken: ct);

    // From the next whole hour for three days: the auction's whole horizon and a quote's window.
    public static async Task<Offer> OfferAsync(MarketUnderTest market, string datacenterId, string model, decimal price,
        int count, CancellationToken ct = default) =>
        await market.ProviderClient.PublishOfferAsync(new PublishOfferRequest
        {
            Offer = new Offer
            {
                DatacenterId = datacenterId, AcceleratorModel = model, Count = count,
                PricePerHour = Money.FromDecimal(price, "CNY"),
                Availability = new TimeWindow
                {
                    Start = Timestamp.FromDateTimeOffset(MarketHours.Next),
                    End = Timestamp.FromDateTimeOffset(MarketHours.Next.AddDays(3)),
                },
                MinLeaseHours = 1,
                InterconnectDomain = $"{datacenterId}/pod-a",
            },
        }, cancellationToken: ct);
}
