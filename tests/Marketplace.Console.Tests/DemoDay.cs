using Marketplace.Billing.V1;
using Marketplace.Common.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Console.Tests;

// A day of the market as an operator sees it: SMEs from Shanghai, Beijing and Shenzhen on eastern and western
// hubs, and three local governments' voucher programs paying part of it. Published through the real bus.
static class DemoDay
{
    public static async Task<IReadOnlyList<string>> PublishAsync(MarketUnderTest market, CancellationToken ct = default)
    {
        var billing = market.BillingClient;
        var shanghai = await ProgramAsync(billing, "Shanghai Municipal Commission of Economy and Informatization",
            "Shanghai AI compute voucher · pilot", budget: 12_000, capPerTenant: 6_000, copay: 50, [], ct);
        var guizhou = await ProgramAsync(billing, "Guizhou Big Data Development Administration",
            "Gui'an green compute voucher", budget: 5_000, capPerTenant: 2_500, copay: 40, ["guizhou"], ct);
        var shenzhen = await ProgramAsync(billing, "Shenzhen Bureau of Industry and Information Technology",
            "Shenzhen SME compute voucher", budget: 2_000, capPerTenant: 2_000, copay: 30, ["guangdong"], ct);
        async Task<string> Grant(VoucherProgram program, string tenant) =>
            (await billing.GrantVoucherAsync(new GrantVoucherRequest { ProgramId = program.Id, TenantId = tenant },
                cancellationToken: ct)).Id;

        (Usage Lease, int Hours)[] day =
        [
            (new Usage("sh-yunzhi-medical", "sensetime", "lingang-sensetime-aidc", "shanghai", "yangtze-river-delta", "H20", 16, 6.20m,
                Pue: 1.28, VoucherId: await Grant(shanghai, "sh-yunzhi-medical")), 24),
            (new Usage("sh-lingang-autodrive", "huawei-cloud", "ulanqab-huawei-cloud", "inner-mongolia", "inner-mongolia", "Ascend-910B", 64, 4.80m,
                Pue: 1.15, VoucherId: await Grant(shanghai, "sh-lingang-autodrive")), 18),
            (new Usage("sh-pudong-biotech", "suihong-huachuang", "qingyang-suihong-huachuang", "gansu", "gansu", "MLU370-X8", 32, 2.60m,
                BoardKw: 0.25, Pue: 1.2), 20),
            (new Usage("bj-zhiyuan-nlp", "alibaba-cloud", "zhangbei-alibaba", "hebei", "beijing-tianjin-hebei", "H20", 32, 6.80m, Pue: 1.22), 16),
            (new Usage("bj-zhiyuan-nlp", "china-mobile", "zhongwei-china-mobile", "ningxia", "ningxia", "Ascend-910B", 48, 4.20m, Pue: 1.18), 12),
            (new Usage("bj-haidian-edu", "xiongan-new-area", "xiongan-ai-center", "hebei", "beijing-tianjin-hebei", "H20", 8, 7.10m, Pue: 1.3), 24),
            (new Usage("sz-nanshan-robotics", "pengcheng-lab", "pengcheng-cloud-brain-3", "guangdong", "guangdong-hong-kong-macao", "Ascend-910B", 24, 5.40m,
                Pue: 1.3, VoucherId: await Grant(shenzhen, "sz-nanshan-robotics")), 20),
            (new Usage("sz-nanshan-robotics", "tencent-cloud", "guian-tencent-cave", "guizhou", "guizhou", "H20", 16, 5.10m,
                Pue: 1.12, VoucherId: await Grant(guizhou, "sz-nanshan-robotics")), 14),
            (new Usage("sz-qianhai-fintech", "huawei-cloud", "guian-huawei-cloud", "guizhou", "guizhou", "Ascend-910B", 16, 4.50m,
                Pue: 1.15, VoucherId: await Grant(guizhou, "sz-qianhai-fintech")), 10),
            (new Usage("sz-qianhai-fintech", "chengdu-municipal", "chengdu-tianfu-ai-center", "sichuan", "chengdu-chongqing", "DCU-Z100", 16, 3.20m,
                BoardKw: 0.3, Pue: 1.25), 8),
        ];

        await using var bus = await RawBus.ConnectAsync(market.Servers.RabbitMqUri);
        foreach (var (lease, _) in day)
            await lease.OpenAsync(bus, ct);
        var published = new List<string>();
        for (var hour = 0; hour < 24; hour++)
            foreach (var (lease, hours) in day.Where(d => hour < d.Hours))
            {
                await lease.HourAsync(bus, hour, ct);
                published.Add(lease.EventId(hour));
            }
        return published;
    }

    static async Task<VoucherProgram> ProgramAsync(BillingService.BillingServiceClient billing, string issuer, string name,
        decimal budget, decimal capPerTenant, int copay, string[] regions, CancellationToken ct) =>
        await billing.CreateVoucherProgramAsync(new CreateVoucherProgramRequest
        {
            Program = new VoucherProgram
            {
                Issuer = issuer,
                Name = name,
                Budget = Money.FromDecimal(budget, "CNY"),
                CapPerTenant = Money.FromDecimal(capPerTenant, "CNY"),
                TenantCopayPercent = copay,
                ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Usage.Day.AddYears(1)),
                EligibleRegionIds = { regions },
            },
        }, cancellationToken: ct);
}
