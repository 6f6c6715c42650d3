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
        new Quoter(Reference, policy ?? Policy).Quote(QuoteRequestRules.Parse(request, Reference, Now, Policy.Currency), SeededCatalog.All);

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
    public void A_batch_job_too_big_for_any_offer_is_split_across_the_fewest_data_centers_then_the_cheapest()
    {
        var request = Request(WorkloadKind.Batch, accelerators: 3000, hoursEach: 10);

        var result = Quote(request);

        // No two data centers hold 3,000 H20 (the largest: Zhangbei's 1,536 and 1,024s), so three; of the
        // three-sets, Zhangbei's two offers (3.60 interruptible first) with Qingyang's and Zhongwei's at 4.20.
        var split = Assert.Single(result.Options);
        Assert.Equal(["qingyang-suihong-huachuang", "zhangbei-alibaba", "zhongwei-china-mobile"],
            split.Parts.Select(p => p.DatacenterId).Distinct().Order());
        Assert.Equal([("zhangbei-alibaba-h20-c", 512), ("qingyang-suihong-huachuang-h20-a", 1024),
            ("zhongwei-china-mobile-h20-a", 1024), ("zhangbei-alibaba-h20-b", 440)], split.Parts.Select(p => (p.OfferId, p.Units)));
        Assert.Equal((3.60m * 512 + 4.20m * 2048 + 6.00m * 440) * 10, split.Compute);
        Assert.Equal(split.Compute, split.Total);
    }

    [Fact]
    public void A_split_moves_the_data_to_each_data_center_once_however_many_of_its_offers_take_part()
    {
        var request = Request(WorkloadKind.Batch, accelerators: 3000, hoursEach: 10);
        request.Data = new DataLocation { RegionId = "shanghai", SizeGb = 1000 };

        var split = Assert.Single(Quote(request).Options);

        var zhangbei = split.Parts.Where(p => p.DatacenterId == "zhangbei-alibaba").ToList();
        Assert.Equal(2, zhangbei.Count);
        Assert.Equal([1000 * Reference.Transfer.CrossHubPerGb, 0], zhangbei.Select(p => p.Transfer)); // Hebei is east, as is Shanghai
        Assert.Equal(1000 * (Reference.Transfer.CrossHubPerGb + 2 * Reference.Transfer.EastWestCorridorPerGb), split.Transfer);
        Assert.All(zhangbei, p => Assert.Equal(1000 * 8 / 10.0 / 3600, p.TransferHours, 9)); // both wait for the data
        Assert.All(split.Parts, p => Assert.Equal(Now.AddHours(1), p.Start));
        Assert.Equal(split.Compute + split.Transfer, split.Total);
    }

    [Fact]
    public void A_split_inside_one_data_center_uses_as_many_of_its_offers_as_make_it_cheapest()
    {
        // Only Xiong'an is domestic in Hebei: Ascend-910B x256 (9.00, 4 h minimum), MLU370-X8 x256 (3.00),
        // DCU-Z100 x128 (2.20). 100 PFLOPS-hours on 400 accelerators: 4 h on Ascend (1 h stretched to its
        // minimum) or MLU, 12 h on DCU. Per accelerator: MLU 12.00, DCU 26.40, Ascend 36.00.
        var request = Request(WorkloadKind.Batch, accelerators: 400, hoursEach: 1);
        request.ComputeHours = new ComputeHours { Fp16PflopsHours = 100 };
        request.DomesticOnly = true;
        request.AllowedRegionIds.Add("hebei");

        var split = Assert.Single(Quote(request).Options);

        Assert.All(split.Parts, p => Assert.Equal("xiongan-ai-center", p.DatacenterId));
        Assert.Equal([("xiongan-ai-center-mlu370-x8-b", 256, 4), ("xiongan-ai-center-dcu-z100-c", 128, 12),
            ("xiongan-ai-center-ascend-910b-a", 16, 4)], split.Parts.Select(p => (p.OfferId, p.Units, p.Hours)));
        Assert.Equal(3.00m * 256 * 4 + 2.20m * 128 * 12 + 9.00m * 16 * 4, split.Total); // 7,027.20; MLU + Ascend alone: 8,256.00
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
            .Quote(QuoteRequestRules.Parse(request, Reference, Now, Policy.Currency), SeededCatalog.All, voucher).Options[0];

        Assert.Equal(Math.Min(50m, best.Compute * 0.60m), best.VoucherSubsidy);
        Assert.Equal(best.Compute + best.Transfer - best.VoucherSubsidy, best.Total);
    }
}
