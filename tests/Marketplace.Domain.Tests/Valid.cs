using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Domain.Tests;

// Requests the rules accept, for tests that spoil exactly one field.
static class Valid
{
    public static readonly DateTimeOffset Monday = new(2030, 1, 7, 0, 0, 0, TimeSpan.Zero);

    public static Timestamp At(DateTimeOffset time) => Timestamp.FromDateTimeOffset(time);

    public static DataCenter DataCenter() => new()
    {
        Id = "guian-test-site",
        ProviderId = "tencent-cloud",
        Name = "Gui'an test site",
        RegionId = "guizhou",
        City = "Gui'an New Area",
        HubId = "guizhou",
        Latitude = 26.42,
        Longitude = 106.6,
        Pue = 1.1,
        GreenPowerShare = 0.6,
        ElectricityPricePerKwh = Money.FromDecimal(0.35m, "CNY"),
        TransferInPricePerGb = Money.FromDecimal(0m, "CNY"),
        TransferOutPricePerGb = Money.FromDecimal(0.20m, "CNY"),
    };

    // 48 hours from Monday 00:00.
    public static Offer Offer() => new()
    {
        Id = "guian-test-site-h20-a",
        DatacenterId = "guian-test-site",
        AcceleratorModel = "H20",
        Count = 512,
        PricePerHour = Money.FromDecimal(4.20m, "CNY"),
        Availability = new TimeWindow { Start = At(Monday), End = At(Monday.AddHours(48)) },
        MinLeaseHours = 1,
        InterconnectDomain = "guian-test-site/pod-a",
    };
}
