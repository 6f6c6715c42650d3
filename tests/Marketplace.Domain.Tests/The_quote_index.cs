using Marketplace.Broker.Domain;
using Marketplace.Provider.V1;
using Xunit.Abstractions;
using Market = Marketplace.Domain.Tests.The_quoter_on_random_markets;

namespace Marketplace.Domain.Tests;

// The index walk must answer exactly what the scan of every offer answers: the same options in the same
// order, the same exclusions with the same reasons, on random markets of up to a few hundred offers,
// some withdrawn, some edited after the index was built (the walk reads capacity fresh, as the broker does).
public sealed class The_quote_index(ITestOutputHelper output)
{
    const int Cases = 400;

    [Fact]
    public void Quotes_what_a_scan_of_every_offer_quotes()
    {
        var seed = TestSeed.New();
        output.WriteLine($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        var quoter = new Quoter(Market.Reference, Market.Policy);
        var (options, exclusions) = (0, 0);
        for (var n = 0; n < Cases; n++)
        {
            var catalog = Market.RandomCatalog(random, 1, random.Next(2) == 0 ? 8 : 60);
            foreach (var offer in catalog.Where(_ => random.Next(10) == 0))
                offer.Offer.State = OfferState.Withdrawn;
            var index = new OfferIndex(catalog, Market.Reference, n);
            // Free capacity moves after the index is built; what puts an offer on a shelf does not.
            var now = catalog.ToDictionary(c => c.Offer.Id, c => random.Next(4) == 0 ? WithLessFree(c, random) : c);
            var demand = Market.RandomDemand(random, catalog);
            var voucher = random.Next(4) == 0 ? Market.RandomVoucher(random, catalog) : null;

            var scan = quoter.Quote(demand, now.Values, voucher);
            var walk = quoter.Quote(demand, index, id => now.GetValueOrDefault(id), voucher);

            var why = $"seed {seed}, case {n}, {catalog.Count} offers";
            Assert.Equal(Describe(scan.Options), Describe(walk.Options));
            Assert.True(scan.Exclusions.SequenceEqual(walk.Exclusions),
                $"{why}: scan excluded [{string.Join("; ", scan.Exclusions)}], the walk [{string.Join("; ", walk.Exclusions)}]");
            options += scan.Options.Count;
            exclusions += scan.Exclusions.Count;
        }
        output.WriteLine($"{Cases} cases: {options} options and {exclusions} exclusions agreed");
        Assert.True(options > Cases && exclusions > Cases, $"seed {seed}: too few options ({options}) or exclusions ({exclusions}) to compare");
    }

    [Fact]
    public void Puts_each_model_and_region_on_one_shelf_cheapest_first_and_leaves_out_withdrawn_offers()
    {
        var random = new Random(7);
        var catalog = Market.RandomCatalog(random, 20, 20);
        catalog[0].Offer.State = OfferState.Withdrawn;
        var index = new OfferIndex(catalog, Market.Reference, 1);

        Assert.Equal(catalog.Count - 1, index.Count);
        Assert.DoesNotContain(index.Shelves.SelectMany(s => s.Entries), e => e.OfferId == catalog[0].Offer.Id);
        Assert.Equal(index.Shelves.Count, index.Shelves.Select(s => (s.Model.Model, s.RegionId)).Distinct().Count());
        foreach (var shelf in index.Shelves)
            Assert.Equal(shelf.Entries.OrderBy(e => e.PricePerHour).Select(e => e.PricePerHour), shelf.Entries.Select(e => e.PricePerHour));
    }

    static OfferCapacity WithLessFree(OfferCapacity capacity, Random random)
    {
        var copy = capacity.Clone();
        foreach (var run in copy.Free)
            run.Free = random.Next(run.Free + 1);
        return copy;
    }

    static List<string> Describe(IReadOnlyList<QuotePlan> plans) => plans
        .Select(p => string.Join(" + ", p.Parts.Select(part => $"{part.OfferId} x{part.Units} at {part.Start:u} for {part.Hours} h"))
                     + $" = {p.Total}")
        .ToList();
}
