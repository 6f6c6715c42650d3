using Marketplace.Broker.Domain;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Reference;
using AcceleratorOrigin = Marketplace.Reference.AcceleratorOrigin;

namespace Marketplace.Domain.Tests;

// What a sharp human broker would answer, on the real seeded market.
public sealed class Quoting_the_seeded_market
{
    static readonly MarketReference Reference = Seeded.Reference;
    static readonly DateTimeOffset Now = SeededCatalog.Opens;
    static readonly QuotingPolicy Policy = new();

    static QuoteRequest Request(WorkloadKind workload, int accelerators, int hoursEach, string model = "H20") => new()
    {
        TenantId = "tenant-shanghai",
        AcceleratorHours = new AcceleratorHours { AcceleratorModel = model, Hours = accelerators * hoursEach },
        Accelerators = accelerators,
        Window = new TimeWindow { Start = Valid.At(Now), End = Valid.At(Now.AddDays(14)) },
        Workload = workload,
    };

    static QuoteResult Quote(QuoteRequest request, QuotingPolicy? policy = null) =>
        new Quoter(Reference, policy ?? Policy).Quote(QuoteRequestRules.Parse(request, Reference, Now), SeededCatalog.All);

    static Hub HubOf(SiteOption part) => Reference.Hubs[part.Capacity.Datacenter.HubId];

    [Fact]
    public void Training_from_Shanghai_with_10_TB_goes_west_when_that_is_cheaper_all_in()
    {
        var request = Request(WorkloadKind.Training, accelerators: 64, hoursEach: 100);
        request.Data = new DataLocation { RegionId = "shanghai", SizeGb = 10_240 };

        var best = Quote(request).Options[0];

        var part = Assert.Single(best.Parts);
        Assert.Equal(HubSide.West, HubOf(part).Side);
        Assert.Equal(4.20m * 64 * 100, best.Compute);
        Assert.Equal(10_240 * Reference.Transfer.EastWestCorridorPerGb, best.Transfer); // plus the site's transfer-in, 0.00 here
        Assert.Equal(0, best.VoucherSubsidy);
        Assert.Equal(best.Compute + best.Transfer, best.Total);
        Assert.True(part.TransferHours > 2, "10 TB at 10 Gbps takes over two hours");
        Assert.Equal(Now.AddHours(3), part.Start); // the data arrives first
        Assert.True(best.Total < 6.00m * 64 * 100, "cheaper all-in than Shanghai's own H20");
    }

    [Fact]
    public void A_short_training_job_with_10_TB_stays_east_because_moving_the_data_costs_more_than_it_saves()
    {
        var request = Request(WorkloadKind.Training, accelerators: 8, hoursEach: 4);
        request.Data = new DataLocation { RegionId = "shanghai", SizeGb = 10_240 };

        var best = Quote(request).Options[0];

        var part = Assert.Single(best.Parts);
        Assert.Equal("shanghai", part.Capacity.Datacenter.RegionId);
        Assert.Equal(6.00m * 8 * 4, best.Compute);
        Assert.Equal(0, best.Transfer);
        Assert.Equal(best.Compute, best.Total);
    }

    [Fact]
    public void Inference_with_a_10_ms_limit_from_Shanghai_stays_in_the_Yangtze_River_Delta()
    {
        var request = Request(WorkloadKind.Inference, accelerators: 16, hoursEach: 24);
        (request.LatencyLimitMs, request.UsersRegionId) = (10, "shanghai");

        var result = Quote(request);

        Assert.NotEmpty(result.Options);
        Assert.All(result.Options.SelectMany(o => o.Parts), part =>
        {
            Assert.Equal("yangtze-river-delta", part.Capacity.Datacenter.HubId);
            Assert.True(part.RttMs <= 10);
        });
        Assert.Equal("shanghai", result.Options[0].Parts[0].Capacity.Datacenter.RegionId); // least latency penalty
        Assert.Contains(result.Exclusions, e => e.Reason.StartsWith("RTT ") && e.Reason.EndsWith("> limit 10 ms"));
    }

    [Fact]
    public void Domestic_only_never_gets_an_NVIDIA_part()
    {
        var request = Request(WorkloadKind.Batch, accelerators: 32, hoursEach: 10);
        request.ComputeHours = new ComputeHours { Fp16PflopsHours = 50 };
        request.DomesticOnly = true;

        var result = Quote(request);

        Assert.NotEmpty(result.Options);
        Assert.All(result.Options.SelectMany(o => o.Parts), part =>
        {
            Assert.Equal(AcceleratorOrigin.Domestic, part.Model.Origin);
            Assert.NotEqual("NVIDIA", part.Model.Vendor);
        });
    }

    [Fact]
    public void Export_controlled_parts_are_excluded_when_the_policy_says_so()
    {
        var request = Request(WorkloadKind.Training, accelerators: 64, hoursEach: 72);
        request.AcceleratorHours = new AcceleratorHours { AcceleratorClass = "H100-class", Hours = 64 * 72 };

        var allowed = Quote(request);
        var barred = Quote(request, new QuotingPolicy { ExcludeExportControlled = true });

        Assert.Contains(allowed.Options, o => o.Parts[0].Model.ExportControl == ExportControlClass.Controlled);
        Assert.Empty(barred.Options); // nothing else is H100-class
        Assert.All(barred.Exclusions, e => Assert.StartsWith("export-controlled", e.Reason));
        Assert.Contains(barred.Exclusions, e => e.DatacenterId == "qingyang-suihong-huachuang");
    }

    [Fact]
    public void A_batch_job_too_big_for_any_site_is_split_across_the_fewest_cheapest_sites()
    {
        var request = Request(WorkloadKind.Batch, accelerators: 3000, hoursEach: 10);

        var result = Quote(request);

        var split = Assert.Single(result.Options);
        Assert.Equal(3, split.Parts.Count); // the largest H20 offers hold 1,024 each
        Assert.Equal(3000, split.Parts.Sum(p => p.Units));
        Assert.Equal(["qingyang-suihong-huachuang-h20-a", "zhengzhou-airport-ai-center-h20-a", "zhongwei-china-mobile-h20-a"],
            split.Parts.Select(p => p.OfferId).Order());
        Assert.Equal(split.Parts.Sum(p => p.Capacity.Offer.PricePerHour.ToDecimal() * p.Units * 10), split.Compute);
    }

    [Fact]
    public void A_training_job_too_big_for_one_interconnect_domain_is_refused_with_the_reason()
    {
        var request = Request(WorkloadKind.Training, accelerators: 3000, hoursEach: 10);

        var result = Quote(request);

        Assert.Empty(result.Options);
        Assert.Contains(result.Exclusions, e => e.Reason == "only 1024 free, need 3000 in one interconnect domain");
    }

    [Fact]
    public void Training_is_never_placed_on_interruptible_capacity()
    {
        var best = Quote(Request(WorkloadKind.Training, accelerators: 8, hoursEach: 10)).Options;

        Assert.All(best, o => Assert.False(o.Parts[0].Capacity.Offer.Interruptible));
        Assert.Equal(2.52m * 8 * 10, Quote(Request(WorkloadKind.Batch, 8, 10)).Options[0].Compute); // batch may use it
    }

    [Fact]
    public void A_voucher_lowers_the_total_by_its_share_within_what_it_has_left()
    {
        var request = Request(WorkloadKind.Batch, accelerators: 8, hoursEach: 10);
        var voucher = new Marketplace.Pricing.VoucherCover(TenantCopayPercent: 40, Now.AddDays(30),
            new HashSet<string>(), new HashSet<string>(), RemainingFen: 50_00);

        var best = new Quoter(Reference, Policy)
            .Quote(QuoteRequestRules.Parse(request, Reference, Now), SeededCatalog.All, voucher).Options[0];

        Assert.Equal(Math.Min(50m, best.Compute * 0.60m), best.VoucherSubsidy);
        Assert.Equal(best.Compute + best.Transfer - best.VoucherSubsidy, best.Total);
    }
}
