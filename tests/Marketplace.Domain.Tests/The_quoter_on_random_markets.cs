using Marketplace.Broker.Domain;
using Marketplace.Common.V1;
using Marketplace.Pricing;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Xunit.Abstractions;

namespace Marketplace.Domain.Tests;

// The quoter against a planner that tries everything, on random markets: a few data centers of the
// seeded regions, each with 1-4 offers of random models, prices and free-capacity runs. Prices are in
// tenths of a yuan and the latency penalty 0.10 per ms per accelerator-hour (round trips are in 0.1 ms),
// so every accelerator-hour costs whole fen and no rounding can hide a worse choice.
public sealed class The_quoter_on_random_markets(ITestOutputHelper output)
{
    const int Cases = 500;
    const int Horizon = 72; // hours of free capacity published from T0
    internal static readonly MarketReference Reference = Seeded.Reference;
    static readonly DateTimeOffset T0 = Valid.Monday;
    internal static readonly QuotingPolicy Policy = new() { LatencyPenaltyPerMsPerAcceleratorHour = 0.10m };
    static readonly string[] Models = ["H20", "Ascend-910B", "MLU370-X8", "DCU-Z100"];
    static readonly string[] Regions = Reference.Regions.Keys.Order(StringComparer.Ordinal).ToArray();

    // One offer as the brute force sees it: what it may take, and what each number of units costs there.
    sealed record Fit(OfferCapacity Capacity, DateTimeOffset? FirstStart, int MostUnits, long[] CostFen, long TransferFen,
        int Hours, long HourFen)
    {
        public string DataCenter => Capacity.Datacenter.Id;
    }

    [Fact]
    public void Agrees_with_a_brute_force_planner_on_the_best_single_offer_and_the_best_split()
    {
        var seed = TestSeed.New();
        output.WriteLine($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (singles, splits, splitTotals, none) = (0, 0, 0, 0);
        for (var n = 0; n < Cases; n++)
        {
            var catalog = RandomCatalog(random);
            var demand = RandomDemand(random, catalog);
            var voucher = random.Next(4) == 0 ? RandomVoucher(random, catalog) : null;
            var why = $"seed {seed}, case {n}";

            var options = new Quoter(Reference, Policy).Quote(demand, catalog, voucher).Options;
            var fits = catalog.Select(c => Assess(demand, c)).OfType<Fit>().ToList();

            if (fits.Any(f => f.FirstStart is not null))
            {
                singles++;
                var best = fits.Where(f => f.FirstStart is not null).Min(f => SingleTotalFen(f, demand, voucher));
                Assert.True(options.Count > 0 && options.All(o => o.Parts.Count == 1), $"{why}: expected single offers");
                Assert.True(best == Fen.Round(options[0].Total), $"{why}: best single {best} fen, quoted {options[0].Total}");
            }
            else if (demand.Workload != WorkloadKind.Training && BestSplit(demand, fits) is { } split)
            {
                splits++;
                Assert.True(options.Count == 1, $"{why}: expected one split, quoted {options.Count} options");
                var plan = options[0];
                Assert.True(split.DataCenters == plan.Parts.Select(p => p.DatacenterId).Distinct().Count(),
                    $"{why}: expected {split.DataCenters} data centers, quoted {string.Join(", ", plan.Parts.Select(p => p.OfferId))}");
                Assert.True(demand.Accelerators == plan.Parts.Sum(p => p.Units), why);
                if (voucher is not null)
                    continue; // the voucher does not steer a split's allocation; its total is checked without one
                splitTotals++;
                Assert.True(split.TotalFen == Fen.Round(plan.Total), $"{why}: best split {split.TotalFen} fen, quoted {plan.Total}");
            }
            else
            {
                none++;
                Assert.True(options.Count == 0, $"{why}: expected no option, quoted {options.Count}");
            }
        }
        output.WriteLine($"{Cases} cases in {clock.ElapsedMilliseconds} ms: {singles} single, {splits} split ({splitTotals} totals compared), {none} with no option");
        Assert.True(singles >= Cases / 20 && splitTotals >= Cases / 20 && none >= Cases / 20,
            $"seed {seed}: too few of a kind ({singles}, {splitTotals}, {none})");
    }

    // Every filter of the demand, every start hour, and the cost of every number of units.
    static Fit? Assess(QuoteDemand demand, OfferCapacity capacity)
    {
        var model = Reference.Accelerators[capacity.Offer.AcceleratorModel];
        var region = capacity.Datacenter.RegionId;
        var price = capacity.Offer.PricePerHour.ToDecimal();
        var from = demand.UsersRegionId ?? demand.DataRegionId;
        var rtt = from is null ? null : Reference.Latencies.RoundTripMs(from, region);
        if ((demand.ExactModel is { } exact && exact.Model != model.Model)
            || (demand.ClassFloor is { } floor && model.Fp16DenseTflops < floor.Fp16DenseTflops)
            || (demand.Workload == WorkloadKind.Training && capacity.Offer.Interruptible)
            || (demand.AllowedRegions.Count > 0 && !demand.AllowedRegions.Contains(region))
            || (demand.Workload == WorkloadKind.Inference && !(rtt <= demand.LatencyLimitMs))
            || price > demand.PriceCeilingPerHour)
            return null;

        var hours = Math.Max(demand.HoursOn(model), capacity.Offer.MinLeaseHours);
        var (transferHours, transferFen) = (0.0, 0L);
        if (demand.DataSizeGb > 0 && demand.DataRegionId != region)
        {
            transferHours = demand.DataSizeGb * 8 / 10.0 / 3600;
            var perGb = Reference.Transfer.RoutePerGb(Reference.Regions[demand.DataRegionId!], Reference.Regions[region],
                id => Reference.Hubs[id]) + capacity.Datacenter.TransferInPricePerGb.ToDecimal();
            transferFen = (long)Math.Round(demand.DataSizeGb * perGb * 100, MidpointRounding.AwayFromZero);
        }
        var earliest = NextWholeHour(demand.EarliestStart.AddHours(transferHours));
        var freeAt = FreeByHour(capacity);
        DateTimeOffset? first = null;
        var most = 0;
        for (var start = earliest; start.AddHours(hours) <= demand.Deadline; start = start.AddHours(1))
        {
            var from0 = (int)(start - T0).TotalHours;
            var free = Enumerable.Range(from0, hours).Min(h => h < freeAt.Length ? freeAt[h] : 0);
            first ??= free >= demand.Accelerators ? start : null;
            most = Math.Max(most, free);
        }

        var latencyPerHour = demand.Workload == WorkloadKind.Inference ? (decimal)rtt!.Value * Policy.LatencyPenaltyPerMsPerAcceleratorHour : 0;
        var cost = Enumerable.Range(0, Math.Max(most, demand.Accelerators) + 1)
            .Select(units => WholeFen(price * units * hours) + (long)Math.Round(latencyPerHour * units * hours * 100, MidpointRounding.AwayFromZero))
            .ToArray();
        return new Fit(capacity, first, most, cost, transferFen, hours, WholeFen(price * demand.Accelerators));
    }

    static long SingleTotalFen(Fit fit, QuoteDemand demand, VoucherCover? voucher)
    {
        var voucherFen = 0L;
        var site = fit.Capacity;
        if (voucher is not null && (voucher.RegionIds.Count == 0 || voucher.RegionIds.Contains(site.Datacenter.RegionId))
            && (voucher.ProviderIds.Count == 0 || voucher.ProviderIds.Contains(site.Offer.ProviderId)))
        {
            var covered = Enumerable.Range(0, fit.Hours).Count(h => fit.FirstStart!.Value.AddHours(h) < voucher.ExpiresAt);
            voucherFen = (long)Math.Round(fit.HourFen * covered * (100 - voucher.TenantCopayPercent) / 100m, MidpointRounding.AwayFromZero);
            voucherFen = Math.Min(voucherFen, voucher.RemainingFen ?? long.MaxValue);
        }
        return fit.CostFen[demand.Accelerators] + fit.TransferFen - voucherFen;
    }

    // The fewest data centers whose offers hold enough (trying every set), and among sets of that size
    // the cheapest allocation of all, each data center's transfer counted once.
    static (int DataCenters, long TotalFen)? BestSplit(QuoteDemand demand, List<Fit> fits)
    {
        var sites = fits.Where(f => f.MostUnits > 0).GroupBy(f => f.DataCenter).ToList();
        var sets = Enumerable.Range(1, (1 << sites.Count) - 1)
            .Select(mask => sites.Where((_, i) => (mask >> i & 1) == 1).ToList())
            .Where(set => set.Sum(site => site.Sum(f => f.MostUnits)) >= demand.Accelerators)
            .ToList();
        if (sets.Count == 0)
            return null;
        var fewest = sets.Min(set => set.Count);
        if (fewest > Policy.MaxSplitSites)
            return null;
        var cheapest = sets.Where(set => set.Count == fewest)
            .Min(set => CheapestAllocation(set.SelectMany(site => site).ToList(), demand.Accelerators)
                        + set.Sum(site => site.First().TransferFen));
        return (fewest, cheapest);
    }

    // Every allocation of `needed` units to the offers (0..MostUnits each), by dynamic programming over
    // the offers: exact for any cost per offer, so it borrows nothing from the quoter's cheapest-first.
    static long CheapestAllocation(List<Fit> offers, int needed)
    {
        var best = Enumerable.Repeat(long.MaxValue, needed + 1).ToArray();
        best[0] = 0;
        foreach (var offer in offers)
        {
            var next = Enumerable.Repeat(long.MaxValue, needed + 1).ToArray();
            for (var total = 0; total <= needed; total++)
                for (var units = 0; units <= Math.Min(offer.MostUnits, total); units++)
                    if (best[total - units] != long.MaxValue)
                        next[total] = Math.Min(next[total], best[total - units] + offer.CostFen[units]);
            best = next;
        }
        return best[needed];
    }

    // Free units in each hour from T0; none outside the runs.
    static int[] FreeByHour(OfferCapacity capacity)
    {
        var free = new int[Horizon];
        foreach (var run in capacity.Free)
            for (var h = 0; h < run.Hours; h++)
                free[(int)(run.Start.ToDateTimeOffset() - T0).TotalHours + h] = run.Free;
        return free;
    }

    static DateTimeOffset NextWholeHour(DateTimeOffset t) =>
        new((t.UtcTicks + TimeSpan.TicksPerHour - 1) / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero);

    // The premise of the comparison: whole fen.
    static long WholeFen(decimal yuan) =>
        decimal.Truncate(yuan * 100) == yuan * 100 ? (long)(yuan * 100) : throw new InvalidOperationException($"{yuan} is not whole fen");

    internal static List<OfferCapacity> RandomCatalog(Random random, int fewestSites = 3, int mostSites = 6)
    {
        var catalog = new List<OfferCapacity>();
        for (var i = random.Next(fewestSites, mostSites + 1); i > 0; i--)
        {
            var site = TestMarket.DataCenter($"dc-{i}", Regions[random.Next(Regions.Length)], $"provider-{random.Next(3)}",
                transferInPerGb: random.Next(4) / 100m);
            for (var j = random.Next(1, 5); j > 0; j--)
                catalog.Add(TestMarket.Offer(site, $"dc-{i}-offer-{j}", Models[random.Next(Models.Length)], random.Next(10, 100) / 10m,
                    minLeaseHours: new[] { 1, 1, 1, 2, 4, 8 }[random.Next(6)], interruptible: random.Next(4) == 0, RandomRuns(random)));
        }
        return catalog;
    }

    // Runs of 2-24 hours with 1-24 free, some left out (no capacity then).
    static FreeCapacityRun[] RandomRuns(Random random)
    {
        var runs = new List<FreeCapacityRun>();
        for (var hour = random.Next(4); hour < Horizon;)
        {
            var length = Math.Min(random.Next(2, 25), Horizon - hour);
            if (random.Next(5) > 0)
                runs.Add(new FreeCapacityRun { Start = Valid.At(T0.AddHours(hour)), Hours = length, Free = random.Next(1, 25) });
            hour += length;
        }
        return runs.ToArray();
    }

    internal static QuoteDemand RandomDemand(Random random, List<OfferCapacity> catalog)
    {
        var workload = new[] { WorkloadKind.Batch, WorkloadKind.Batch, WorkloadKind.Inference, WorkloadKind.Training }[random.Next(4)];
        var accelerators = random.Next(1, 49);
        var kind = random.Next(10);
        var model = Reference.Accelerators[Models[random.Next(Models.Length)]];
        var earliest = T0.AddHours(random.Next(6));
        var regions = catalog.Select(c => c.Datacenter.RegionId).Distinct().ToList();
        var data = random.Next(2) == 0 ? (Region: Regions[random.Next(Regions.Length)], Gb: random.Next(1, 6000)) : (null, 0);
        var users = workload == WorkloadKind.Inference || random.Next(3) == 0 ? Regions[random.Next(Regions.Length)] : null;
        return new QuoteDemand("tenant-a",
            ExactModel: kind < 6 ? model : null, ClassFloor: kind is >= 6 and < 9 ? model : null,
            AcceleratorHours: kind < 9 ? accelerators * random.Next(1, 9) + random.Next(accelerators) : null,
            Fp16PflopsHours: kind < 9 ? null : random.Next(1, 40) / 10.0,
            accelerators, earliest, earliest.AddHours(random.Next(6, 66)), workload,
            PriceCeilingPerHour: random.Next(5) == 0 ? random.Next(30, 90) / 10m : null,
            DomesticOnly: false, MinMemoryGb: 0,
            AllowedRegions: random.Next(5) == 0 ? regions.Where(_ => random.Next(2) == 0).ToHashSet() : new HashSet<string>(),
            LatencyLimitMs: workload == WorkloadKind.Inference ? random.Next(3, 40) : null,
            UsersRegionId: users, DataRegionId: data.Region, DataSizeGb: data.Gb);
    }

    internal static VoucherCover RandomVoucher(Random random, List<OfferCapacity> catalog)
    {
        var regions = catalog.Select(c => c.Datacenter.RegionId).Distinct().Where(_ => random.Next(3) == 0).ToHashSet();
        var providers = random.Next(3) == 0 ? new HashSet<string> { $"provider-{random.Next(3)}" } : [];
        return new VoucherCover(random.Next(101), T0.AddHours(random.Next(80)).AddMinutes(30 * random.Next(2)), regions, providers,
            random.Next(3) == 0 ? null : random.Next(100_000));
    }
}
