using Marketplace.Provider.Domain;
using Marketplace.Reference;

namespace Marketplace.Domain.Tests;

// seeds/ as a product promise: what seeds/README.md says of the data, and what the rules accept.
public sealed class The_seeded_market
{
    static readonly MarketReference Reference = Seeded.Reference;

    // The window the seed loader would give an offer loaded at 10:17: from the next whole hour.
    static readonly DateTimeOffset WindowStart = new(2030, 1, 1, 11, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> SiteIds => new(SeedSites.Sites.Select(s => s.Id));
    public static TheoryData<string> OfferIds => new(SeedSites.Offers.Select(o => o.Id));

    [Fact]
    public void Has_at_least_15_data_centers_in_at_least_8_provinces_covering_all_8_hubs()
    {
        var sites = SeedSites.Sites;

        var provinces = sites.Select(s => s.Region).Distinct().Count();
        var hubsCovered = sites.Where(s => s.Hub is not null).Select(s => s.Hub!).ToHashSet();

        Assert.True(sites.Count >= 15, $"{sites.Count} data centers");
        Assert.True(provinces >= 8, $"{provinces} provinces");
        Assert.Equal(Reference.Hubs.Keys.Order(), hubsCovered.Order());
    }

    [Fact]
    public void Names_each_data_center_and_offer_once()
    {
        var siteIds = SeedSites.Sites.Select(s => s.Id).ToList();
        var offerIds = SeedSites.Offers.Select(o => o.Id).ToList();

        Assert.Equal(siteIds.Count, siteIds.Distinct().Count());
        Assert.Equal(offerIds.Count, offerIds.Distinct().Count());
    }

    [Fact]
    public void Runs_every_data_center_for_a_listed_provider()
    {
        var providers = SeedSites.Providers.Select(p => p.Id).ToHashSet();

        var unlisted = SeedSites.Sites.Where(s => !providers.Contains(s.Provider)).Select(s => s.Id);

        Assert.Empty(unlisted);
    }

    [Theory]
    [MemberData(nameof(SiteIds))]
    public void Lists_a_data_center_the_registration_rules_accept(string siteId)
    {
        var datacenter = SeedSites.ToProto(SeedSites.Sites.Single(s => s.Id == siteId));

        var error = Record.Exception(() => DataCenterRules.Validate(datacenter, Reference));

        Assert.Null(error);
    }

    [Fact]
    public void Places_every_offer_at_a_seeded_data_center_with_a_known_accelerator()
    {
        var sites = SeedSites.Sites.Select(s => s.Id).ToHashSet();

        var homeless = SeedSites.Offers.Where(o => !sites.Contains(o.Datacenter)).Select(o => o.Id);
        var unknownParts = SeedSites.Offers.Where(o => !Reference.Accelerators.ContainsKey(o.Accelerator)).Select(o => o.Id);

        Assert.NotEmpty(SeedSites.Offers);
        Assert.Empty(homeless);
        Assert.Empty(unknownParts);
    }

    [Theory]
    [MemberData(nameof(OfferIds))]
    public void Lists_an_offer_the_publishing_rules_accept_over_its_window(string offerId)
    {
        var offer = SeedSites.ToProto(SeedSites.Offers.Single(o => o.Id == offerId), WindowStart);

        var error = Record.Exception(() => OfferRules.Validate(offer, Reference));

        Assert.Null(error);
    }

    [Fact]
    public void Sells_whole_8_card_servers_in_domains_of_64_to_1024_cards()
    {
        var offers = SeedSites.Offers;

        Assert.All(offers, o =>
        {
            Assert.Equal(0, o.Count % 8);
            Assert.InRange(o.Count, 64, 1024);
        });
    }

    [Fact]
    public void Has_round_trip_times_that_follow_the_great_circle_formula()
    {
        var regions = Reference.Regions.Values.ToList();

        var wrong = (from a in regions
                     from b in regions
                     where string.CompareOrdinal(a.Id, b.Id) < 0
                     let expected = Math.Round(GreatCircleKm(a, b) * 1.5 / 100 + 1, 1)
                     let actual = Reference.Latencies.RoundTripMs(a.Id, b.Id)
                     where actual is null || Math.Abs(actual.Value - expected) > 0.05 + 1e-9
                     select $"{a.Id}-{b.Id}: {actual} vs {expected}").ToList();

        Assert.Empty(wrong);
    }

    // seeds/README.md: list price x tier (east hub 1.00, no hub 0.85, west hub 0.70) x 0.60 if interruptible.
    [Fact]
    public void Prices_every_offer_from_its_list_price_tier_and_interruptibility()
    {
        var listPrice = new Dictionary<string, decimal>
        {
            ["H100-SXM"] = 16.00m, ["H800-SXM"] = 15.00m, ["A100-SXM-80GB"] = 9.00m, ["Ascend-910B"] = 9.00m,
            ["H20"] = 6.00m, ["MLU370-X8"] = 3.00m, ["DCU-Z100"] = 2.20m,
        };
        var sites = SeedSites.Sites.ToDictionary(s => s.Id);
        decimal Tier(string? hub) => hub is null ? 0.85m : Reference.Hubs[hub].Side == HubSide.East ? 1.00m : 0.70m;

        var wrong = (from o in SeedSites.Offers
                     let expected = Math.Round(listPrice[o.Accelerator] * Tier(sites[o.Datacenter].Hub)
                                               * (o.Interruptible ? 0.60m : 1m), 2, MidpointRounding.AwayFromZero)
                     where o.PricePerHour.Amount != expected || o.PricePerHour.Currency != "CNY"
                     select $"{o.Id}: {o.PricePerHour.Amount} vs {expected}").ToList();

        Assert.Empty(wrong);
    }

    static double GreatCircleKm(Region a, Region b)
    {
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var dLat = Rad(b.Latitude - a.Latitude);
        var dLon = Rad(b.Longitude - a.Longitude);
        var h = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(a.Latitude)) * Math.Cos(Rad(b.Latitude)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * 6371 * Math.Asin(Math.Sqrt(h));
    }
}
