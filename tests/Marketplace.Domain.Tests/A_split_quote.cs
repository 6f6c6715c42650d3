using Marketplace.Broker.Domain;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using static Marketplace.Domain.Tests.TestMarket;

namespace Marketplace.Domain.Tests;

// A job no single offer can take, split by data center: fewest first, then cheapest.
public sealed class A_split_quote
{
    static QuoteResult Quote(QuoteDemand demand, IEnumerable<OfferCapacity> catalog, QuotingPolicy? policy = null) =>
        new Quoter(Seeded.Reference, policy ?? new QuotingPolicy()).Quote(demand, catalog);

    static IEnumerable<string> DataCenters(QuotePlan plan) => plan.Parts.Select(p => p.DatacenterId).Distinct().Order();

    // One data center with three offers of 40; two others with one offer of 60 each.
    static List<OfferCapacity> ThreeSmallOffersAtOneSiteAndTwoLargeElsewhere()
    {
        var (a, b, c) = (DataCenter("site-a", "guizhou"), DataCenter("site-b", "gansu"), DataCenter("site-c", "ningxia"));
        return [Offer(a, "a-1", "H20", 4.00m, free: 40), Offer(a, "a-2", "H20", 4.10m, free: 40), Offer(a, "a-3", "H20", 4.20m, free: 40),
            Offer(b, "b-1", "H20", 3.00m, free: 60), Offer(c, "c-1", "H20", 3.00m, free: 60)];
    }

    [Fact]
    public void Counts_data_centers_not_offers()
    {
        var split = Assert.Single(Quote(Demand(WorkloadKind.Batch, 100, 10), ThreeSmallOffersAtOneSiteAndTwoLargeElsewhere()).Options);

        // One data center beats two, though its three offers cost more than the other two's one each.
        Assert.Equal(["site-a"], DataCenters(split));
        Assert.Equal([("a-1", 40), ("a-2", 40), ("a-3", 20)], split.Parts.Select(p => (p.OfferId, p.Units)));
        Assert.Equal((4.00m * 40 + 4.10m * 40 + 4.20m * 20) * 10, split.Total);
    }

    [Fact]
    public void May_use_several_offers_of_one_data_center_even_when_it_may_use_only_one_data_center()
    {
        var policy = new QuotingPolicy { MaxSplitSites = 1 };

        var split = Assert.Single(Quote(Demand(WorkloadKind.Batch, 100, 10), ThreeSmallOffersAtOneSiteAndTwoLargeElsewhere(), policy).Options);

        Assert.Equal(3, split.Parts.Count);
        Assert.Equal(["site-a"], DataCenters(split));
    }

    [Fact]
    public void Is_not_offered_when_it_needs_more_data_centers_than_allowed()
    {
        var catalog = new[] { "guizhou", "gansu", "ningxia" }
            .Select(region => Offer(DataCenter($"site-{region}", region), $"{region}-1", "H20", 4.00m, free: 40));

        Assert.Single(Quote(Demand(WorkloadKind.Batch, 100, 10), catalog, new QuotingPolicy { MaxSplitSites = 3 }).Options);
        Assert.Empty(Quote(Demand(WorkloadKind.Batch, 100, 10), catalog, new QuotingPolicy { MaxSplitSites = 2 }).Options);
    }

    [Fact]
    public void Fills_the_cheapest_offers_of_the_chosen_data_centers_first_and_charges_each_ones_transfer_once()
    {
        // Data in Shanghai, 2,000 GB: to Guizhou (west) 0.15/GB + 0.01 transfer-in, to Gansu (west) 0.15/GB.
        var (guizhou, gansu) = (DataCenter("guizhou-site", "guizhou", transferInPerGb: 0.01m), DataCenter("gansu-site", "gansu"));
        OfferCapacity[] catalog = [Offer(guizhou, "g-dear", "H20", 5.00m, free: 30), Offer(guizhou, "g-cheap", "H20", 3.00m, free: 30),
            Offer(gansu, "s-mid", "H20", 4.00m, free: 30)];
        var demand = Demand(WorkloadKind.Batch, 70, 10) with { DataRegionId = "shanghai", DataSizeGb = 2000 };

        var split = Assert.Single(Quote(demand, catalog).Options);

        Assert.Equal([("g-cheap", 30, 320.00m), ("s-mid", 30, 300.00m), ("g-dear", 10, 0m)],
            split.Parts.Select(p => (p.OfferId, p.Units, p.Transfer)));
        Assert.Equal((3.00m * 30 + 4.00m * 30 + 5.00m * 10) * 10 + 620.00m, split.Total);
        var transferHours = 2000 * 8 / 10.0 / 3600;
        Assert.All(split.Parts, p => Assert.Equal(transferHours, p.TransferHours, 9));
        Assert.All(split.Parts, p => Assert.Equal(T0.AddHours(1), p.Start)); // every offer waits for its data
    }

    [Fact]
    public void Shows_each_placements_offer_data_center_and_money_in_the_reply()
    {
        var (guizhou, gansu) = (DataCenter("guizhou-site", "guizhou"), DataCenter("gansu-site", "gansu"));
        OfferCapacity[] catalog = [Offer(guizhou, "g-1", "H20", 3.00m, free: 30), Offer(guizhou, "g-2", "H20", 5.00m, free: 30),
            Offer(gansu, "s-1", "H20", 4.00m, free: 30)];
        var demand = Demand(WorkloadKind.Batch, 70, 10) with { DataRegionId = "shanghai", DataSizeGb = 1000 };
        var plan = Assert.Single(Quote(demand, catalog).Options);

        var quote = Marketplace.Broker.Quoting.QuoteContract.ToProto(plan, "quote-1", "tenant-a", 1, Valid.At(T0));

        Assert.Equal([("g-1", "guizhou-site", 150m), ("s-1", "gansu-site", 150m), ("g-2", "guizhou-site", 0m)],
            quote.Placements.Select(p => (p.OfferId, p.DatacenterId, p.Breakdown.Transfer.ToDecimal())));
        Assert.All(quote.Placements, p => Assert.Equal(1000 * 8 / 10.0 / 3600, p.TransferHours, 9));
        Assert.Equal(quote.Placements.Sum(p => p.Breakdown.Total.ToDecimal()), quote.Breakdown.Total.ToDecimal());
        Assert.Equal((3.00m * 30 + 4.00m * 30 + 5.00m * 10) * 10 + 300m, quote.Breakdown.Total.ToDecimal());
    }

    [Fact]
    public void Is_never_made_of_training()
    {
        Assert.Empty(Quote(Demand(WorkloadKind.Training, 100, 10), ThreeSmallOffersAtOneSiteAndTwoLargeElsewhere()).Options);
    }

    [Fact]
    public void Among_too_many_sets_of_data_centers_to_try_them_all_still_finds_the_cheapest_in_its_pool()
    {
        // 30 data centers of 30 units each: 100 units need four, and C(30, 4) = 27,405 sets exceed the bound,
        // so the pool (the four largest, then the cheapest and the largest by turns) is searched.
        var cheap = new HashSet<int> { 7, 13, 21, 28 };
        var catalog = Enumerable.Range(0, 30).Select(i =>
        {
            var site = DataCenter($"site-{i:00}", "guizhou");
            return Offer(site, $"offer-{i:00}", "H20", cheap.Contains(i) ? 2.00m : 5.00m + i / 100m, free: 30);
        }).ToList();

        var split = Assert.Single(Quote(Demand(WorkloadKind.Batch, 100, 10), catalog).Options);

        Assert.Equal(["site-07", "site-13", "site-21", "site-28"], DataCenters(split));
        Assert.Equal(2.00m * 100 * 10, split.Total);
        Assert.True(27_405 > SplitPlanner.MaxCombinations);
    }
}
