using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Integration.Tests;

// Requests with unique ids, so tests sharing one market never see each other's sites and offers.
static class Samples
{
    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static DataCenter DataCenter(string id, string provider = "test-provider") => new()
    {
        Id = id,
        ProviderId = provider,
        Name = $"Test site {id}",
        RegionId = "guizhou",
        City = "Gui'an New Area",
        HubId = "guizhou",
        Latitude = 26.4,
        Longitude = 106.4,
        Pue = 1.2,
        GreenPowerShare = 0.5,
        ElectricityPricePerKwh = Money.FromDecimal(0.35m, "CNY"),
        TransferInPricePerGb = Money.FromDecimal(0m, "CNY"),
        TransferOutPricePerGb = Money.FromDecimal(0.2m, "CNY"),
    };

    public static Offer Offer(string datacenterId, decimal pricePerHour = 0.01m, int count = 64, int days = 7)
    {
        var start = NextWholeHour().AddHours(1);
        return new Offer
        {
            DatacenterId = datacenterId,
            AcceleratorModel = "H20",
            Count = count,
            PricePerHour = Money.FromDecimal(pricePerHour, "CNY"),
            Availability = new TimeWindow
            {
                Start = Timestamp.FromDateTimeOffset(start),
                End = Timestamp.FromDateTimeOffset(start.AddDays(days)),
            },
            MinLeaseHours = 1,
            InterconnectDomain = $"{datacenterId}/pod-a",
        };
    }

    public static TimeWindow Hours(DateTimeOffset start, int fromHour, int hours) => new()
    {
        Start = Timestamp.FromDateTimeOffset(start.AddHours(fromHour)),
        End = Timestamp.FromDateTimeOffset(start.AddHours(fromHour + hours)),
    };

    public static DateTimeOffset NextWholeHour()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
    }
}
