using Marketplace.Broker.Catalog;
using Marketplace.Provider.V1;

namespace Marketplace.Domain.Tests;

public sealed class The_offer_catalog
{
    static OfferCapacity Capacity(string offerId, long version, OfferState state = OfferState.Active) => new()
    {
        Offer = new Offer { Id = offerId, AcceleratorModel = "H20", Count = 512, State = state, Version = version },
        Version = version,
        Free = { new FreeCapacityRun { Hours = 24, Free = (int)(version % 512) } },
    };

    [Fact]
    public void Takes_the_first_version_it_hears_of_an_offer()
    {
        var catalog = new OfferCatalog();

        var applied = catalog.Apply(Capacity("offer-a", 3));

        Assert.True(applied);
        Assert.Equal(3, catalog.Find("offer-a")?.Version);
        Assert.Equal(1, catalog.Count);
    }

    [Fact]
    public void Replaces_an_offer_with_a_newer_version()
    {
        var catalog = new OfferCatalog();
        catalog.Apply(Capacity("offer-a", 3));
        var newer = Capacity("offer-a", 4);

        var applied = catalog.Apply(newer);

        Assert.True(applied);
        Assert.Same(newer, catalog.Find("offer-a"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-3)]
    public void Drops_a_version_no_newer_than_the_one_it_holds(long versionsNewer)
    {
        var catalog = new OfferCatalog();
        var held = Capacity("offer-a", 3);
        catalog.Apply(held);

        var applied = catalog.Apply(Capacity("offer-a", 3 + versionsNewer));

        Assert.False(applied);
        Assert.Same(held, catalog.Find("offer-a"));
    }

    [Fact]
    public void Keeps_offers_apart_by_id()
    {
        var catalog = new OfferCatalog();
        catalog.Apply(Capacity("offer-a", 9));

        var applied = catalog.Apply(Capacity("offer-b", 1));

        Assert.True(applied);
        Assert.Equal(9, catalog.Find("offer-a")?.Version);
        Assert.Equal(1, catalog.Find("offer-b")?.Version);
        Assert.Null(catalog.Find("offer-c"));
    }

    [Fact]
    public void Lists_only_active_offers_as_live()
    {
        var catalog = new OfferCatalog();
        catalog.Apply(Capacity("active", 1));
        catalog.Apply(Capacity("withdrawn-later", 1));
        catalog.Apply(Capacity("withdrawn-later", 2, OfferState.Withdrawn));
        catalog.Apply(Capacity("unspecified", 1, OfferState.Unspecified));

        var live = catalog.Live().Select(o => o.Offer.Id).ToList();

        Assert.Equal(["active"], live);
        Assert.Equal(3, catalog.Count);
    }

    [Fact]
    public void Ends_with_the_highest_version_when_many_threads_apply_versions_in_random_order()
    {
        const int versions = 4000;
        var shuffled = Enumerable.Range(1, versions).Select(v => (long)v).OrderBy(_ => Random.Shared.Next()).ToArray();
        var catalog = new OfferCatalog();
        var accepted = 0;

        Parallel.ForEach(shuffled, new ParallelOptions { MaxDegreeOfParallelism = 8 }, version =>
        {
            if (catalog.Apply(Capacity("contended", version)))
                Interlocked.Increment(ref accepted);
        });

        var held = catalog.Find("contended");
        Assert.Equal(versions, held?.Version);
        Assert.Equal(versions, held?.Offer.Version);
        Assert.InRange(accepted, 1, versions);
        Assert.Equal(1, catalog.Count);
    }
}
