using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;

namespace Marketplace.Domain.Tests;

// seeds/datacenters.json and seeds/offers.json read independently of the provider's internal DTOs,
// and turned into protos the way its SeedLoader does.
static class SeedSites
{
    public sealed record SitesFile(List<Site> Datacenters);

    public sealed record Site(string Id, string Name, string Provider, string Region, string City, string? Hub,
        double Latitude, double Longitude, decimal Pue, decimal GreenPowerShare, decimal ElectricityYuanPerKwh,
        decimal TransferInYuanPerGb, decimal TransferOutYuanPerGb);

    public sealed record OffersFile(List<SeedOffer> Offers);

    public sealed record SeedOffer(string Id, string Datacenter, string Accelerator, int Count, string InterconnectDomain,
        Price PricePerHour, int MinLeaseHours, bool Interruptible, int AvailableDays);

    public sealed record Price(string Currency, decimal Amount);

    public sealed record ProvidersFile(List<Provider> Providers);

    public sealed record Provider(string Id, string Name);

    public static IReadOnlyList<Site> Sites { get; } =
        SeedJson.Read<SitesFile>(SeedJson.DefaultDirectory, "datacenters.json").Datacenters;

    public static IReadOnlyList<SeedOffer> Offers { get; } =
        SeedJson.Read<OffersFile>(SeedJson.DefaultDirectory, "offers.json").Offers;

    public static IReadOnlyList<Provider> Providers { get; } =
        SeedJson.Read<ProvidersFile>(SeedJson.DefaultDirectory, "providers.json").Providers;

    public static DataCenter ToProto(Site site) => new()
    {
        Id = site.Id,
        ProviderId = site.Provider,
        Name = site.Name,
        RegionId = site.Region,
        City = site.City,
        HubId = site.Hub ?? "",
        Latitude = site.Latitude,
        Longitude = site.Longitude,
        Pue = (double)site.Pue,
        GreenPowerShare = (double)site.GreenPowerShare,
        ElectricityPricePerKwh = Money.FromDecimal(site.ElectricityYuanPerKwh, "CNY"),
        TransferInPricePerGb = Money.FromDecimal(site.TransferInYuanPerGb, "CNY"),
        TransferOutPricePerGb = Money.FromDecimal(site.TransferOutYuanPerGb, "CNY"),
    };

    public static Offer ToProto(SeedOffer offer, DateTimeOffset start) => new()
    {
        Id = offer.Id,
        DatacenterId = offer.Datacenter,
        AcceleratorModel = offer.Accelerator,
        Count = offer.Count,
        PricePerHour = Money.FromDecimal(offer.PricePerHour.Amount, offer.PricePerHour.Currency),
        Availability = new TimeWindow
        {
            Start = Timestamp.FromDateTimeOffset(start),
            End = Timestamp.FromDateTimeOffset(start.AddDays(offer.AvailableDays)),
        },
        MinLeaseHours = offer.MinLeaseHours,
        InterconnectDomain = offer.InterconnectDomain,
        Interruptible = offer.Interruptible,
    };
}
