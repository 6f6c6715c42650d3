using Marketplace.Broker.V1;
using Marketplace.Common.V1;

namespace Marketplace.Cli.Demo;

// The scripted day: three SMEs from the eastern cities and a Shenzhen compute voucher, then the same three
// on the exchange. Jobs are a few
// market hours long, so an accelerated market (an hour a second) runs the whole day in seconds.
public static class DemoScript
{
    public const string ShanghaiTenant = "shanghai-vision-ai";
    public const string BeijingTenant = "beijing-llm-lab";
    public const string ShenzhenTenant = "shenzhen-robotics";

    public static readonly IReadOnlyList<SmeJob> Jobs =
    [
        new(ShanghaiTenant, "inference for users in Shanghai, at most 10 ms round trip", "shanghai", "yangtze-river-delta",
            UsesVoucher: false, r =>
            {
                r.AcceleratorHours = new AcceleratorHours { AcceleratorModel = "H20", Hours = 64 };
                r.Accelerators = 16;
                r.Workload = WorkloadKind.Inference;
                r.LatencyLimitMs = 10;
                r.UsersRegionId = "shanghai";
            }),
        new(BeijingTenant, "training on 2 TB of data held in Beijing", "beijing", "beijing-tianjin-hebei",
            UsesVoucher: false, r =>
            {
                r.AcceleratorHours = new AcceleratorHours { AcceleratorModel = "H20", Hours = 256 };
                r.Accelerators = 64;
                r.Workload = WorkloadKind.Training;
                r.Data = new DataLocation { RegionId = "beijing", SizeGb = 2000 };
            }),
        new(ShenzhenTenant, "batch rendering on domestic chips only, paid partly by Shenzhen's compute voucher", "guangdong",
            "guangdong-hong-kong-macao", UsesVoucher: true, r =>
            {
                r.AcceleratorHours = new AcceleratorHours { AcceleratorClass = "Ascend-910B-class", Hours = 128 };
                r.Accelerators = 32;
                r.Workload = WorkloadKind.Batch;
                r.DomesticOnly = true;
                r.Data = new DataLocation { RegionId = "guangdong", SizeGb = 500 };
            }),
    ];

    // The second act, on the exchange: the same three bid for the next hours and one call auction clears them.
    // Shanghai's users keep its inference in the east; Beijing's batch and Shenzhen's domestic batch may go west.
    public static readonly IReadOnlyList<SmeBid> Bids =
    [
        new(ShanghaiTenant, "more inference for Shanghai users, at most 10 ms round trip", 7.00m, Divisible: true, r =>
        {
            r.AcceleratorHours = new AcceleratorHours { AcceleratorModel = "H20", Hours = 64 };
            r.Accelerators = 16;
            r.Workload = WorkloadKind.Inference;
            r.LatencyLimitMs = 10;
            r.UsersRegionId = "shanghai";
        }),
        new(BeijingTenant, "evaluation batch on 200 GB held in Beijing", 5.00m, Divisible: true, r =>
        {
            r.AcceleratorHours = new AcceleratorHours { AcceleratorModel = "H20", Hours = 128 };
            r.Accelerators = 32;
            r.Workload = WorkloadKind.Batch;
            r.Data = new DataLocation { RegionId = "beijing", SizeGb = 200 };
        }),
        new(ShenzhenTenant, "batch rendering on domestic chips only", 6.00m, Divisible: true, r =>
        {
            r.AcceleratorHours = new AcceleratorHours { AcceleratorClass = "Ascend-910B-class", Hours = 128 };
            r.Accelerators = 32;
            r.Workload = WorkloadKind.Batch;
            r.DomesticOnly = true;
            r.Data = new DataLocation { RegionId = "guangdong", SizeGb = 100 };
        }),
    ];

    // Shenzhen's scheme: half of the compute bill, for its SMEs, at any site of the national network.
    public static Marketplace.Billing.V1.VoucherProgram ShenzhenProgram(DateTimeOffset marketNow) => new()
    {
        Name = "Shenzhen compute voucher (深圳算力券)",
        Issuer = "Shenzhen Municipal Bureau of Industry and Information Technology",
        Budget = Money.FromDecimal(5_000_000m, "CNY"),
        CapPerTenant = Money.FromDecimal(100_000m, "CNY"),
        TenantCopayPercent = 50,
        ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(marketNow.AddDays(30)),
    };
}
