using System.Text.Json;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Provider;

[Collection(MarketCollection.Name)]
public sealed class The_seeded_market(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Loads_at_start_up_once_and_the_snapshot_returns_every_seeded_offer()
    {
        var seeded = SeededOfferIds();
        await using (await _market.StartProviderAsync(("Provider:LoadSeeds", "true"))) { }
        var first = await _market.ProviderClient.GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest());

        await using (await _market.StartProviderAsync(("Provider:LoadSeeds", "true"))) { } // loading twice
        var second = await _market.ProviderClient.GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest());

        var offers = first.Offers.Where(o => seeded.Contains(o.Offer.Id)).ToList();
        Assert.Equal(seeded.Order(), offers.Select(o => o.Offer.Id).Order());
        Assert.All(offers, o => Assert.Equal(o.Offer.Count, o.Free.Single().Free));
        Assert.Equal(
            offers.Select(o => (o.Offer.Id, o.Version, o.Offer.Availability.Start)),
            second.Offers.Where(o => seeded.Contains(o.Offer.Id)).Select(o => (o.Offer.Id, o.Version, o.Offer.Availability.Start)));
        var hubs = offers.Select(o => o.Datacenter.HubId).Where(h => h.Length > 0).ToHashSet();
        Assert.Equal(8, hubs.Count);
    }

    static HashSet<string> SeededOfferIds()
    {
        using var file = File.OpenRead(Path.Combine(SeedJson.DefaultDirectory, "offers.json"));
        using var json = JsonDocument.Parse(file);
        return json.RootElement.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("id").GetString()!).ToHashSet();
    }
}
