using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Failover;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Time;
using Marketplace.Testing.Market;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Failover;

// A batch lease holds all of an interruptible offer at site A for ten hours. A bid on the exchange for
// three of those hours at less than the lease's price plus the premium is left unfilled; one above it wins
// them: the auction preempts the lease from the first hour sold, with at least the notice, and the lease
// (which asked to be placed again) carries on at B. The hours are never sold twice, the lease is billed at A
// only until the reclaim, and running the preemption again changes nothing.
[Collection(MarketCollection.Name)]
public sealed class Interruptible_capacity_sold_to_a_higher_bid(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 4; // shared within the collection with the other failover tests and Billing_periods_on_an_accelerated_clock
    const double Speed = 1200; // an hour in 3 s
    const string Model = "DCU-Z100", Region = "ningxia";
    const int Units = 8, Hours = 10, SoldFrom = 5, SoldHours = 3;
    static readonly TimeSpan Notice = TimeSpan.FromHours(2); // the broker's default PreemptionNotice

    [Fact]
    public async Task Preempts_the_lease_with_notice_only_for_a_bid_above_its_price_and_premium()
    {
        await using var market = await AcceleratedMarket.StartAsync(fixture.Market, Database, Speed, platformFeePercent: 0m);
        var provider = Samples.UniqueId("spot-sale");
        var spot = await FailoverSites.OfferAsync(market, provider, "a", Region, Model, 2.00m, interruptible: true);
        var steady = await FailoverSites.OfferAsync(market, provider, "b", Region, Model, 4.00m);
        await using var events = await RawEvents.ListenAsync(fixture.Market.Servers.RabbitMqUri,
            LeasePreempted.Descriptor, LeaseMoved.Descriptor, UsageRecorded.Descriptor);

        var start = WholeHours.Ceiling(market.Now).AddHours(1);
        var spotTenant = Samples.UniqueId("tenant-spot");
        var leased = await LeaseAllOfAsync(market, spotTenant, spot, start);
        var sold = start.AddHours(SoldFrom);

        // 2.10 an hour is more than the lease pays (2.00) but not the 10% premium over it: the bid stands unfilled.
        var (low, high) = (Samples.UniqueId("bidder-low"), Samples.UniqueId("bidder-high"));
        var lowBid = await market.ExchangeAs(low).PlaceBidAsync(Bid(low, sold, 2.10m));
        var lowAfter = await Eventually.GetAsync(async () =>
        {
            var now = await market.ExchangeAs(low).GetBidAsync(new GetBidRequest { BidId = lowBid.Id });
            return now.LastAuctionId.Length > 0 ? now : null;
        }, "an auction that cleared the low bid", TimeSpan.FromSeconds(30));
        output.WriteLine($"low bid after auction {lowAfter.LastAuctionId}: {lowAfter.LastOutcome}");
        Assert.Equal(BidState.Open, lowAfter.State);
        Assert.Empty((await market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = leased.Id })).Moves);

        // 3.00 an hour beats the lease and its premium: the next auction sells it the hours.
        var highBid = await market.ExchangeAs(high).PlaceBidAsync(Bid(high, sold, 3.00m));
        var filled = await Eventually.GetAsync(async () =>
        {
            var now = await market.ExchangeAs(high).GetBidAsync(new GetBidRequest { BidId = highBid.Id });
            return now.State == BidState.Filled ? now : null;
        }, "the high bid filled", TimeSpan.FromSeconds(60));
        output.WriteLine($"high bid: {filled.LastOutcome}");
        var won = await market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = filled.LeaseId });
        var block = Assert.Single(won.Allocations);
        Assert.Equal((spot.Id, Units, sold, sold.AddHours(SoldHours)),
            (block.OfferId, block.Units, block.Window.Start.ToDateTimeOffset(), block.Window.End.ToDateTimeOffset()));
        Assert.InRange(block.PricePerHour.ToDecimal(), 2.20m, 3.00m);

        // The lease heard it with its notice, kept its hours before the sale, and carries on at B.
        var told = await events.UntilAsync(all => all.Once<LeasePreempted>().Any(p => p.Lease.Id == leased.Id)
                                                  && all.Once<LeaseMoved>().Any(m => m.Lease.Id == leased.Id), TimeSpan.FromSeconds(60));
        var preempted = told.Once<LeasePreempted>().Single(p => p.Lease.Id == leased.Id);
        Assert.Equal((filled.LastAuctionId, highBid.Id, ""), (preempted.AuctionId, preempted.BidId, preempted.OutageId));
        Assert.Equal(sold, preempted.ReclaimAt.ToDateTimeOffset());
        Assert.True(preempted.ReclaimAt.ToDateTimeOffset() - preempted.OccurredAt.ToDateTimeOffset() >= Notice,
            $"told at {preempted.OccurredAt.ToDateTimeOffset():u}, {Notice} ahead of {sold:u}");
        var moved = told.Once<LeaseMoved>().Single(m => m.Lease.Id == leased.Id);
        output.WriteLine(moved.Move.Reason);
        Assert.Equal((start, sold), (moved.Lease.Window.Start.ToDateTimeOffset(), moved.Lease.Window.End.ToDateTimeOffset()));
        var carried = Assert.Single(moved.ToLease.Allocations);
        Assert.Equal((steady.Id, Units, sold, start.AddHours(Hours)),
            (carried.OfferId, carried.Units, carried.Window.Start.ToDateTimeOffset(), carried.Window.End.ToDateTimeOffset()));
        Assert.Equal((filled.LastAuctionId, highBid.Id), (moved.Move.AuctionId, moved.Move.BidId));

        // The low bid never got hours that were sold (it wants the same three hours, and the rest were not worth its premium).
        Assert.NotEqual(BidState.Filled, (await market.ExchangeAs(low).GetBidAsync(new GetBidRequest { BidId = lowBid.Id })).State);

        // Running the preemption again (a broker killed mid-auction re-runs it) changes nothing.
        var desk = market.Broker.Services.GetRequiredService<FailoverDesk>();
        await desk.PreemptAsync(leased.Id, leased.Allocations[0].HoldId, sold, filled.LastAuctionId, highBid.Id, CancellationToken.None);
        var after = await market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = leased.Id });
        Assert.Equal(moved.ToLease.Id, Assert.Single(after.Moves).ToLeaseId);

        // Each sold hour is billed once, to the winning bid; the lease at A only before the sale.
        var billed = await events.UntilAsync(all => new[] { moved.ToLease.Id, won.Id }.All(id => all.Once<UsageRecorded>()
            .Any(u => u.LeaseId == id && u.Interval.Start.ToDateTimeOffset() == sold.AddHours(SoldHours - 1))), TimeSpan.FromSeconds(60));
        var usage = billed.Once<UsageRecorded>().Where(u => u.Interval.Start.ToDateTimeOffset() < sold.AddHours(SoldHours)).ToList();
        Assert.Equal(Enumerable.Range(0, SoldFrom).Select(h => start.AddHours(h)),
            usage.Where(u => u.LeaseId == leased.Id).Select(u => u.Interval.Start.ToDateTimeOffset()).Order());
        var soldHours = Enumerable.Range(0, SoldHours).Select(h => sold.AddHours(h)).ToList();
        Assert.Equal(soldHours, usage.Where(u => u.LeaseId == won.Id).Select(u => u.Interval.Start.ToDateTimeOffset()).Order());
        Assert.Equal(soldHours, usage.Where(u => u.LeaseId == moved.ToLease.Id).Select(u => u.Interval.Start.ToDateTimeOffset()).Order());
        Assert.All(usage.Where(u => u.Interval.Start.ToDateTimeOffset() >= sold && u.OfferId == spot.Id), u => Assert.Equal(won.Id, u.LeaseId));
    }

    static PlaceBidRequest Bid(string tenant, DateTimeOffset from, decimal limit) => new()
    {
        RequestId = Samples.UniqueId("bid"),
        Demand = new QuoteRequest
        {
            TenantId = tenant,
            AcceleratorHours = new AcceleratorHours { AcceleratorModel = Model, Hours = Units * SoldHours },
            Accelerators = Units,
            Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(from), End = Timestamp.FromDateTimeOffset(from.AddHours(SoldHours)) },
            Workload = WorkloadKind.Batch,
            AllowedRegionIds = { Region },
        },
        LimitPrice = Money.FromDecimal(limit, "CNY"),
        Divisible = false,
        StandUntil = Timestamp.FromDateTimeOffset(from),
    };

    static async Task<Lease> LeaseAllOfAsync(AcceleratedMarket market, string tenant, Offer offer, DateTimeOffset start)
    {
        var request = new QuoteRequest
        {
            TenantId = tenant,
            AcceleratorHours = new AcceleratorHours { AcceleratorModel = Model, Hours = Units * Hours },
            Accelerators = Units,
            Workload = WorkloadKind.Batch,
            Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddHours(Hours)) },
            AllowedRegionIds = { Region },
            ReplaceIfPreempted = true,
        };
        return await FailoverSites.LeaseAtAsync(market, request, offer);
    }
}
