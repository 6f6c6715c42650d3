using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Domain;
using Marketplace.Broker.Exchange;
using Marketplace.Broker.Exchange.Clearing;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using BidProto = Marketplace.Broker.V1.Bid;

namespace Marketplace.Bench.Scenarios;

// Seeded books for the call auction, built the way the broker builds them (AuctionBookBuilder, the quoting
// filters and costs): the synthetic catalog's offers over every seeded region and hub, part of each already
// leased hour by hour; bids that mix divisible batch and inference with all-or-nothing training, limits
// around the list prices, windows within the auction's hours, data held in varied regions.
public sealed class AuctionBooks(MarketReference reference, int seed)
{
    public const int Hours = 24;
    const int OffersPerSite = 10;
    static readonly int[] BatchSizes = [1, 2, 4, 8, 16, 32];
    static readonly int[] TrainingSizes = [8, 16, 32, 64];
    static readonly int[] LatencyLimitsMs = [10, 20, 40];
    static readonly string[] EastRegions = ["beijing", "shanghai", "guangdong", "zhejiang", "jiangsu"];

    public static readonly DateTimeOffset FirstHour = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    public AuctionBook Book(int bids, int offers)
    {
        var catalog = new SyntheticCatalog(reference, seed);
        var sites = catalog.DataCenters(Math.Max(1, offers / OffersPerSite));
        var random = new Random(seed);
        var live = catalog.Offers(sites, OffersPerSite, FirstHour).Take(offers)
            .Select(o => Capacity(o, sites.First(s => s.Id == o.DatacenterId), random)).ToList();
        var open = Enumerable.Range(0, bids).Select(i => BidAt(i, catalog, random)).ToList();
        var builder = new AuctionBookBuilder(reference, new QuotingPolicy());
        return builder.Build(open, live, FirstHour, Hours).Book;
    }

    // What is left of an offer after the leases already made: runs of 1-6 hours at 0-100% of its count.
    static OfferCapacity Capacity(Offer offer, DataCenter site, Random random)
    {
        var capacity = new OfferCapacity { Offer = offer, Datacenter = site };
        offer.State = OfferState.Active;
        for (var t = 0; t < Hours;)
        {
            var hours = Math.Min(Hours - t, random.Next(1, 7));
            var share = random.Next(0, 5) / 4.0;
            capacity.Free.Add(new FreeCapacityRun
            {
                Start = Timestamp.FromDateTimeOffset(FirstHour.AddHours(t)), Hours = hours, Free = (int)(offer.Count * share),
            });
            t += hours;
        }
        return capacity;
    }

    // 45% batch and 30% inference (both divisible), 25% training (all-or-nothing).
    (BidProto, QuoteDemand) BidAt(int i, SyntheticCatalog catalog, Random random)
    {
        var roll = random.NextDouble();
        var workload = roll < 0.45 ? WorkloadKind.Batch : roll < 0.75 ? WorkloadKind.Inference : WorkloadKind.Training;
        var model = reference.Accelerators[catalog.PickModel()];
        var byClass = workload != WorkloadKind.Training && random.NextDouble() < 0.2;
        var accelerators = workload == WorkloadKind.Training ? Pick(TrainingSizes, random) : Pick(BatchSizes, random);
        var hours = workload == WorkloadKind.Training ? random.Next(2, 11) : random.Next(1, 9);
        var earliest = random.Next(0, Hours - hours + 1);
        var deadline = Math.Min(Hours, earliest + hours + random.Next(0, 9));
        var data = workload != WorkloadKind.Inference && random.NextDouble() < 0.6;
        var users = Pick(EastRegions, random);
        var demand = new QuoteDemand($"bench-tenant-{i % 200}",
            ExactModel: byClass ? null : model, ClassFloor: byClass ? model : null,
            AcceleratorHours: (long)accelerators * hours, Fp16PflopsHours: null, accelerators,
            FirstHour.AddHours(earliest), FirstHour.AddHours(deadline), workload,
            PriceCeilingPerHour: null, DomesticOnly: random.NextDouble() < 0.2, MinMemoryGb: 0, AllowedRegions: new HashSet<string>(),
            LatencyLimitMs: workload == WorkloadKind.Inference ? Pick(LatencyLimitsMs, random) : null,
            UsersRegionId: workload == WorkloadKind.Inference ? users : null,
            DataRegionId: data ? reference.Regions.Keys.Order(StringComparer.Ordinal).ElementAt(random.Next(reference.Regions.Count)) : null,
            DataSizeGb: data ? random.Next(1, 200) * (workload == WorkloadKind.Training ? 100 : 10) : 0);
        var limit = Math.Round(SyntheticCatalog.ListPrice[model.Model] * (0.6m + random.Next(0, 71) / 100m), 2);
        var bid = new BidProto
        {
            Id = $"bench-bid-{i:00000}", TenantId = demand.TenantId, Divisible = workload != WorkloadKind.Training,
            LimitPrice = Money.FromDecimal(limit, "CNY"),
        };
        return (bid, demand);
    }

    static T Pick<T>(T[] from, Random random) => from[random.Next(from.Length)];
}
