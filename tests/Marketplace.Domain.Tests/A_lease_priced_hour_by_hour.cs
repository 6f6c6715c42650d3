using Marketplace.Pricing;
using Xunit.Abstractions;

namespace Marketplace.Domain.Tests;

// LeaseCharges on random leases: parts of random units, hours and sub-fen prices (2.345), vouchers of
// random co-pay, expiry (inside the lease, off the hour too), regions, providers and what is left, and
// random fee percents.
public sealed class A_lease_priced_hour_by_hour(ITestOutputHelper output)
{
    const int Cases = 500;
    static readonly DateTimeOffset T0 = Valid.Monday;
    static readonly string[] Regions = ["guizhou", "gansu", "shanghai"];
    static readonly string[] Providers = ["provider-a", "provider-b", "provider-c"];

    [Fact]
    public void Sums_its_hours_exactly_to_its_total_never_gives_an_hour_more_voucher_or_fee_than_its_amount_and_rounds_once()
    {
        var seed = TestSeed.New();
        output.WriteLine($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var hours = 0;
        for (var n = 0; n < Cases; n++)
        {
            var parts = Enumerable.Range(0, random.Next(1, 5)).Select(_ => RandomPart(random)).ToList();
            var voucher = random.Next(5) == 0 ? null : RandomVoucher(random);
            var fee = random.Next(3) == 0 ? 10m : random.Next(0, 10_001) / 100m;
            var charges = new LeaseCharges(parts, voucher, fee);
            var why = $"seed {seed}, case {n}";

            var sum = new Charge();
            for (var part = 0; part < parts.Count; part++)
                for (var hour = 0; hour < parts[part].Hours; hour++, hours++)
                {
                    var charge = charges.OfHour(part, hour);
                    if (charge.VoucherFen is < 0 || charge.FeeFen < 0 || charge.VoucherFen > charge.AmountFen || charge.FeeFen > charge.AmountFen)
                        Assert.Fail($"{why}: part {part} hour {hour}: {charge}");
                    sum += charge;
                }

            Assert.True(sum == charges.Total, $"{why}: hours sum to {sum}, total {charges.Total}");
            var exact = parts.Sum(p => p.PricePerHour * p.Units * p.Hours);
            Assert.True((long)Math.Round(exact * 100, MidpointRounding.AwayFromZero) == charges.Total.AmountFen,
                $"{why}: exact {exact}, total {charges.Total.AmountFen} fen");
        }
        output.WriteLine($"{Cases} leases, {hours} hours, in {clock.ElapsedMilliseconds} ms");
    }

    static LeasePart RandomPart(Random random) => new(
        Units: random.Next(1, 65),
        Start: T0.AddHours(random.Next(0, 48)),
        Hours: random.Next(1, 49),
        PricePerHour: random.Next(1, 20_000) / (random.Next(2) == 0 ? 1000m : 10_000m), // 2.345, 0.0005, ...
        RegionId: Regions[random.Next(Regions.Length)],
        ProviderId: Providers[random.Next(Providers.Length)]);

    static VoucherCover RandomVoucher(Random random) => new(
        TenantCopayPercent: random.Next(0, 101),
        ExpiresAt: random.Next(4) == 0 ? DateTimeOffset.MaxValue : T0.AddHours(random.Next(-4, 100)).AddMinutes(random.Next(4) * 15),
        RegionIds: Regions.Where(_ => random.Next(3) == 0).ToHashSet(),
        ProviderIds: Providers.Where(_ => random.Next(4) == 0).ToHashSet(),
        RemainingFen: random.Next(3) == 0 ? null : random.Next(-100, 200_000));
}
