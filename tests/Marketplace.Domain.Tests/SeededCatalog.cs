using Marketplace.Provider.V1;

namespace Marketplace.Domain.Tests;

// The seeded market as the broker's catalog sees it on a quiet Monday: every offer wholly free.
static class SeededCatalog
{
    public static DateTimeOffset Opens => Valid.Monday;

    public static IReadOnlyList<OfferCapacity> All { get; } = Build();

    static List<OfferCapacity> Build()
    {
        var sites = SeedSites.Sites.ToDictionary(s => s.Id, SeedSites.ToProto);
        return SeedSites.Offers.Select(seed =>
        {
            var offer = SeedSites.ToProto(seed, Opens);
            offer.ProviderId = sites[seed.Datacenter].ProviderId;
            offer.State = OfferState.Active;
            return new OfferCapacity
            {
                Offer = offer,
                Datacenter = sites[seed.Datacenter],
                Version = 1,
                Free = { new FreeCapacityRun { Start = offer.Availability.Start, Hours = seed.AvailableDays * 24, Free = seed.Count } },
            };
        }).ToList();
    }
}
