using System.Globalization;
using System.Text.Json;
using Marketplace.Reference;

namespace Marketplace.Domain.Tests;

public sealed class The_market_reference
{
    static readonly MarketReference Reference = Seeded.Reference;

    static JsonElement Json(string file) => JsonDocument.Parse(System.IO.File.ReadAllText(Seeded.File(file))).RootElement;

    [Fact]
    public void Loads_the_eight_national_hubs_four_east_and_four_west()
    {
        var reference = MarketReference.Load(SeedJson.DefaultDirectory);

        Assert.Equal(8, reference.Hubs.Count);
        Assert.Equal(4, reference.Hubs.Values.Count(h => h.Side == HubSide.East));
        Assert.Equal(4, reference.Hubs.Values.Count(h => h.Side == HubSide.West));
    }

    [Fact]
    public void Resolves_the_hub_of_every_region_that_names_one()
    {
        var inHubs = Reference.Regions.Values.Where(r => r.HubId is not null).ToList();

        var unresolved = inHubs.Where(r => Reference.HubOf(r)?.Id != r.HubId).Select(r => r.Id);

        Assert.NotEmpty(inHubs);
        Assert.Empty(unresolved);
    }

    [Fact]
    public void Gives_no_hub_for_a_region_outside_the_hubs()
    {
        var outside = Reference.Regions.Values.Where(r => r.HubId is null).ToList();

        Assert.NotEmpty(outside);
        Assert.All(outside, r => Assert.Null(Reference.HubOf(r)));
    }

    [Fact]
    public void Has_a_round_trip_time_for_every_pair_of_regions_the_same_both_ways()
    {
        var ids = Reference.Regions.Keys.ToList();

        var pairs = (from a in ids from b in ids where a != b
                     select (a, b, there: Reference.Latencies.RoundTripMs(a, b), back: Reference.Latencies.RoundTripMs(b, a)))
            .ToList();

        Assert.All(pairs, p =>
        {
            Assert.NotNull(p.there);
            Assert.True(p.there > 0, $"{p.a}-{p.b}");
            Assert.Equal(p.there, p.back);
        });
    }

    [Fact]
    public void Uses_the_configured_intra_region_time_within_a_region()
    {
        var configured = Json("latencies.json").GetProperty("intra_region_ms").GetDouble();

        var within = Reference.Regions.Keys.Select(id => Reference.Latencies.RoundTripMs(id, id)).ToList();

        Assert.Equal(configured, Reference.Latencies.IntraRegionMs);
        Assert.All(within, ms => Assert.Equal(configured, ms));
    }

    [Fact]
    public void Knows_no_round_trip_time_to_an_unknown_region()
    {
        var ms = Reference.Latencies.RoundTripMs("guizhou", "atlantis");

        Assert.Null(ms);
    }

    [Fact]
    public void Reads_the_transfer_tariff_as_written()
    {
        var json = Json("transfer-prices.json");
        decimal Read(string name) => decimal.Parse(json.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

        var tariff = Reference.Transfer;

        Assert.Equal(json.GetProperty("currency").GetString(), tariff.Currency);
        Assert.Equal(Read("same_region_yuan_per_gb"), tariff.SameRegionPerGb);
        Assert.Equal(Read("same_hub_yuan_per_gb"), tariff.SameHubPerGb);
        Assert.Equal(Read("cross_hub_yuan_per_gb"), tariff.CrossHubPerGb);
        Assert.Equal(Read("east_west_corridor_yuan_per_gb"), tariff.EastWestCorridorPerGb);
    }

    [Theory]
    [InlineData("guizhou", "guizhou", "same-region")]
    [InlineData("shaanxi", "shaanxi", "same-region")]
    [InlineData("beijing", "hebei", "same-hub")]
    [InlineData("anhui", "shanghai", "same-hub")]
    [InlineData("shanghai", "guizhou", "east-west")]
    [InlineData("ningxia", "guangdong", "east-west")]
    [InlineData("beijing", "guangdong", "cross-hub")]
    [InlineData("gansu", "ningxia", "cross-hub")]
    [InlineData("shaanxi", "guizhou", "cross-hub")]
    [InlineData("beijing", "henan", "cross-hub")]
    [InlineData("shaanxi", "henan", "cross-hub")]
    public void Prices_a_route_by_where_its_ends_lie_in_either_direction(string from, string to, string route)
    {
        var tariff = Reference.Transfer;
        var expected = route switch
        {
            "same-region" => tariff.SameRegionPerGb,
            "same-hub" => tariff.SameHubPerGb,
            "east-west" => tariff.EastWestCorridorPerGb,
            _ => tariff.CrossHubPerGb,
        };
        var (a, b) = (Reference.Regions[from], Reference.Regions[to]);

        var there = tariff.RoutePerGb(a, b, id => Reference.Hubs.GetValueOrDefault(id));
        var back = tariff.RoutePerGb(b, a, id => Reference.Hubs.GetValueOrDefault(id));

        Assert.Equal(expected, there);
        Assert.Equal(expected, back);
    }

    [Fact]
    public void Charges_the_east_west_corridor_half_the_cross_hub_tariff()
    {
        var tariff = Reference.Transfer;

        Assert.Equal(tariff.CrossHubPerGb / 2, tariff.EastWestCorridorPerGb);
        Assert.True(tariff.SameRegionPerGb <= tariff.SameHubPerGb && tariff.SameHubPerGb < tariff.EastWestCorridorPerGb);
    }
}
