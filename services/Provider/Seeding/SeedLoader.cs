using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;
using Marketplace.Provider.Catalog;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Provider.Seeding;

// Loads the seeded market at start-up. Idempotent: sites are registered once, offers published once
// (an offer already there keeps its window), so loading twice changes nothing.
public sealed class SeedLoader(DataCenterDesk datacenters, OfferDesk offers, ProviderOptions options,
    TimeProvider clock, ILogger<SeedLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var dir = options.SeedsPath ?? SeedJson.DefaultDirectory;
        var sites = SeedJson.Read<DataCentersFile>(dir, "datacenters.json").Datacenters;
        var seededOffers = SeedJson.Read<OffersFile>(dir, "offers.json").Offers;

        foreach (var site in sites)
            await datacenters.RegisterAsync(ToProto(site), ct);

        var published = 0;
        var nextHour = WholeHours.Floor(clock.GetUtcNow()).AddHours(1);
        foreach (var entry in seededOffers)
        {
            if (await Exists(entry.Id, ct))
                continue;
            await offers.PublishAsync(ToProto(entry, nextHour), idempotencyKey: "", ct);
            published++;
        }

        logger.LogInformation("Seeds loaded from {SeedsPath}: {Sites} data centers, {Published} of {Offers} offers new",
            dir, sites.Count, published, seededOffers.Count);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    async Task<bool> Exists(string offerId, CancellationToken ct)
    {
        try
        {
            await offers.GetAsync(offerId, ct);
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }

    static DataCenter ToProto(DataCentersFile.Entry site) => new()
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

    static Offer ToProto(OffersFile.Entry entry, DateTimeOffset start) => new()
    {
        Id = entry.Id,
        DatacenterId = entry.Datacenter,
        AcceleratorModel = entry.Accelerator,
        Count = entry.Count,
        PricePerHour = Money.FromDecimal(entry.PricePerHour.Amount, entry.PricePerHour.Currency),
        ReservePricePerHour = entry.ReservePricePerHour is { } reserve ? Money.FromDecimal(reserve.Amount, reserve.Currency) : null,
        Availability = new TimeWindow
        {
            Start = Timestamp.FromDateTimeOffset(start),
            End = Timestamp.FromDateTimeOffset(start.AddDays(entry.AvailableDays)),
        },
        MinLeaseHours = entry.MinLeaseHours,
        InterconnectDomain = entry.InterconnectDomain,
        Interruptible = entry.Interruptible,
    };
}
