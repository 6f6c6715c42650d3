using Marketplace.Broker.Domain;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using AcceleratorOrigin = Marketplace.Reference.AcceleratorOrigin;

namespace Marketplace.Domain.Tests;

public sealed class The_quoter
{
    static readonly MarketReference Reference = Seeded.Reference;
    static readonly DateTimeOffset T0 = Valid.Monday;
    // Single-site options of the quoter, cheapest first (splits and exclusions have tests of their own).
    static class Quoter
    {
        public static IReadOnlyList<SiteOption> Rank(QuoteDemand demand, IEnumerable<OfferCapacity> catalog, int maxOptions) =>
            new Marketplace.Broker.Domain.Quoter(Reference, new QuotingPolicy { MaxOptions = maxOptions })
                .Quote(demand, catalog).Options.Select(plan => Assert.Single(plan.Parts)).ToList();
    }

    // 64 accelerator-hours on 8 accelerators: 8 hours each, anywhere in the next 30 days.
    static QuoteDemand Demand(Accelerator? exact = null, Accelerator? floor = null) => new(
        TenantId: "tenant-a", ExactModel: exact, ClassFloor: floor, AcceleratorHours: 64, Fp16PflopsHours: null,
        Accelerators: 8, EarliestStart: T0, Deadline: T0.AddDays(30), Workload: WorkloadKind.Batch,
        PriceCeilingPerHour: null, DomesticOnly: false, MinMemoryGb: 0, AllowedRegions: new HashSet<string>());

    static OfferCapacity Capacity(string id, string model, decimal price, string region = "guizhou",
        int minLeaseHours = 1, int free = 64, int fromHour = 0) => new()
    {
        Offer = new Offer
        {
            Id = id, DatacenterId = $"{region}-site", AcceleratorModel = model, Count = 64, State = OfferState.Active,
            PricePerHour = Money.FromDecimal(price, "CNY"), MinLeaseHours = minLeaseHours,
        },
        Datacenter = new DataCenter { Id = $"{region}-site", RegionId = region },
        Free = { new FreeCapacityRun { Start = Valid.At(T0.AddHours(fromHour)), Hours = 30 * 24, Free = free } },
        Version = 1,
    };

    // One offer of every model in the reference, all at the same price.
    static IEnumerable<OfferCapacity> OneOfEachModel() =>
        Reference.Accelerators.Keys.Select(model => Capacity($"offer-{model.ToLowerInvariant()}", model, 5.00m));

    static IEnumerable<string> Models(IEnumerable<SiteOption> options) => options.Select(o => o.Capacity.Offer.AcceleratorModel);

    [Fact]
    public void Ranks_options_by_compute_cost_cheapest_first()
    {
        OfferCapacity[] catalog = [Capacity("mid", "H20", 5.10m), Capacity("cheap", "H20", 4.20m), Capacity("dear", "H20", 6.00m)];
        var demand = Demand();

        var options = Quoter.Rank(demand, catalog, maxOptions: 5);

        Assert.Equal(["cheap", "mid", "dear"], options.Select(o => o.Capacity.Offer.Id));
        Assert.All(options, o =>
        {
            Assert.Equal(8, o.Hours);
            Assert.Equal(o.Capacity.Offer.PricePerHour.ToDecimal() * demand.Accelerators * o.Hours, o.Compute);
        });
    }

    [Fact]
    public void Breaks_a_price_tie_by_the_earlier_start()
    {
        OfferCapacity[] catalog = [Capacity("later", "H20", 4.20m, fromHour: 5), Capacity("sooner", "H20", 4.20m, fromHour: 2)];

        var options = Quoter.Rank(Demand(), catalog, maxOptions: 5);

        Assert.Equal(["sooner", "later"], options.Select(o => o.Capacity.Offer.Id));
        Assert.Equal(T0.AddHours(2), options[0].Start);
    }

    [Fact]
    public void Returns_no_more_than_the_options_asked_for()
    {
        var catalog = Enumerable.Range(1, 6).Select(i => Capacity($"offer-{i}", "H20", 4m + i)).ToList();

        var options = Quoter.Rank(Demand(), catalog, maxOptions: 2);

        Assert.Equal(["offer-1", "offer-2"], options.Select(o => o.Capacity.Offer.Id));
    }

    [Fact]
    public void Offers_only_the_exact_model_asked_for()
    {
        var h20 = Reference.Accelerators["H20"];

        var options = Quoter.Rank(Demand(exact: h20), OneOfEachModel(), maxOptions: 10);

        Assert.Equal(["H20"], Models(options));
    }

    [Fact]
    public void For_an_H100_class_floor_offers_H100_and_H800_but_never_H20()
    {
        var h100 = Reference.Accelerators["H100-SXM"];

        var models = Models(Quoter.Rank(Demand(floor: h100), OneOfEachModel(), maxOptions: 10)).ToList();

        Assert.Contains("H100-SXM", models);
        Assert.Contains("H800-SXM", models);
        Assert.DoesNotContain("H20", models);
        Assert.DoesNotContain("A100-SXM-80GB", models);
        Assert.DoesNotContain("Ascend-910B", models);
    }

    [Fact]
    public void For_a_class_floor_offers_nothing_weaker_in_compute_or_memory()
    {
        var floor = Reference.Accelerators["Ascend-910B"];

        var options = Quoter.Rank(Demand(floor: floor), OneOfEachModel(), maxOptions: 10);

        Assert.Contains("Ascend-910B", Models(options));
        Assert.All(options, o =>
        {
            var model = Reference.Accelerators[o.Capacity.Offer.AcceleratorModel];
            Assert.True(model.Fp16DenseTflops >= floor.Fp16DenseTflops && model.MemoryGb >= floor.MemoryGb, model.Model);
        });
    }

    [Fact]
    public void For_a_domestic_only_demand_never_offers_an_NVIDIA_part()
    {
        var demand = Demand() with { DomesticOnly = true };

        var options = Quoter.Rank(demand, OneOfEachModel(), maxOptions: 10);

        Assert.NotEmpty(options);
        Assert.All(options, o =>
        {
            var model = Reference.Accelerators[o.Capacity.Offer.AcceleratorModel];
            Assert.NotEqual("NVIDIA", model.Vendor);
            Assert.Equal(AcceleratorOrigin.Domestic, model.Origin);
        });
    }

    [Fact]
    public void Offers_only_accelerators_with_the_memory_asked_for()
    {
        var demand = Demand() with { MinMemoryGb = 90 };

        var options = Quoter.Rank(demand, OneOfEachModel(), maxOptions: 10);

        Assert.Equal(["H20"], Models(options));
    }

    [Fact]
    public void Offers_only_the_allowed_regions()
    {
        OfferCapacity[] catalog = [Capacity("in-guizhou", "H20", 4.20m, "guizhou"), Capacity("in-shanghai", "H20", 3.00m, "shanghai"),
            Capacity("in-gansu", "H20", 5.00m, "gansu")];
        var demand = Demand() with { AllowedRegions = new HashSet<string> { "guizhou", "gansu" } };

        var options = Quoter.Rank(demand, catalog, maxOptions: 5);

        Assert.Equal(["in-guizhou", "in-gansu"], options.Select(o => o.Capacity.Offer.Id));
    }

    [Fact]
    public void Offers_nothing_priced_above_the_ceiling()
    {
        OfferCapacity[] catalog = [Capacity("below", "H20", 4.20m), Capacity("at", "H20", 6.00m), Capacity("above", "H20", 6.01m)];
        var demand = Demand() with { PriceCeilingPerHour = 6.00m };

        var options = Quoter.Rank(demand, catalog, maxOptions: 5);

        Assert.Equal(["below", "at"], options.Select(o => o.Capacity.Offer.Id));
    }

    [Fact]
    public void Leases_at_least_the_offers_minimum_hours_and_prices_them_all()
    {
        var capacity = Capacity("min-24", "Ascend-910B", 6.30m, minLeaseHours: 24);
        var demand = Demand();

        var option = Assert.Single(Quoter.Rank(demand, [capacity], maxOptions: 5));

        Assert.Equal(24, option.Hours);
        Assert.Equal(6.30m * demand.Accelerators * 24, option.Compute);
        Assert.Equal(option.Start.AddHours(24), option.End);
    }

    [Fact]
    public void Skips_an_offer_without_enough_free_units_or_with_an_unknown_model()
    {
        OfferCapacity[] catalog = [Capacity("too-few", "H20", 1.00m, free: 7), Capacity("unknown", "B200", 1.00m),
            Capacity("fits", "H20", 6.00m, free: 8)];

        var options = Quoter.Rank(Demand(), catalog, maxOptions: 5);

        Assert.Equal(["fits"], options.Select(o => o.Capacity.Offer.Id));
    }

    [Theory]
    [InlineData("Ascend-910B")]
    [InlineData("H100-SXM")]
    [InlineData("DCU-Z100")]
    public void Converts_compute_hours_with_the_models_effective_TFLOPS(string modelName)
    {
        var model = Reference.Accelerators[modelName];
        var demand = Demand() with { AcceleratorHours = null, Fp16PflopsHours = 100 };
        var effectiveTflops = model.Fp16DenseTflops * (double)model.EfficiencyFactor;
        var expected = (int)Math.Ceiling(100 * 1000 / (demand.Accelerators * effectiveTflops));

        var option = Assert.Single(Quoter.Rank(demand, [Capacity("offer", modelName, 5.00m)], maxOptions: 5));

        Assert.Equal(expected, option.Hours);
        Assert.Equal(expected, demand.HoursOn(model));
    }

    [Fact]
    public void Needs_more_hours_of_a_less_efficient_part_with_the_same_peak()
    {
        var peak = Reference.Accelerators["Ascend-910B"];
        var perfect = peak with { EfficiencyFactor = 1.00m };
        var demand = Demand() with { AcceleratorHours = null, Fp16PflopsHours = 1000 };

        var hoursAtItsEfficiency = demand.HoursOn(peak);
        var hoursAtFullEfficiency = demand.HoursOn(perfect);

        Assert.True(peak.EfficiencyFactor < 1.00m);
        Assert.True(hoursAtItsEfficiency > hoursAtFullEfficiency, $"{hoursAtItsEfficiency} vs {hoursAtFullEfficiency}");
    }

    [Fact]
    public void Spreads_accelerator_hours_evenly_rounding_up()
    {
        var demand = Demand() with { AcceleratorHours = 65 };

        var hours = demand.HoursOn(Reference.Accelerators["H20"]);

        Assert.Equal(9, hours);
    }

    [Fact]
    public void Says_an_offer_is_published_for_other_dates_rather_than_short_of_capacity()
    {
        var offer = Capacity("dec-2026", "H20", 5m);
        offer.Offer.Availability = new TimeWindow { Start = Valid.At(T0), End = Valid.At(T0.AddDays(30)) };
        var in2030 = Demand(exact: Reference.Accelerators["H20"]) with
        {
            EarliestStart = T0.AddYears(4), Deadline = T0.AddYears(4).AddDays(7),
        };

        var result = new Marketplace.Broker.Domain.Quoter(Reference, new QuotingPolicy()).Quote(in2030, [offer]);

        Assert.Empty(result.Options);
        var exclusion = Assert.Single(result.Exclusions);
        Assert.Equal("dec-2026", exclusion.OfferId);
        Assert.Contains("not 8 hours of the window asked for", exclusion.Reason);
        Assert.Contains($"offered {T0:yyyy-MM-dd HH:mm}", exclusion.Reason);
    }
}
