using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Domain;
using Marketplace.Broker.Exchange;
using Marketplace.Broker.Exchange.Clearing;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using BidProto = Marketplace.Broker.V1.Bid;

namespace Marketplace.Domain.Tests.Exchange;

// Leased interruptible capacity in the auction's book: an ask per allocation for its whole hours from the
// notice on, at its lease's price plus the premium, never on firm capacity and never to the lease's own tenant;
// and the auction sells it only to a bid worth more than that.
public sealed class Leased_interruptible_capacity_in_the_book
{
    static readonly DateTimeOffset FirstHour = TestMarket.T0;
    const int Hours = 12;

    static readonly DataCenter Site = TestMarket.DataCenter("dc-spot", "ningxia");
    static readonly OfferCapacity Spot = TestMarket.Offer(Site, "spot", "H20", 2.00m, 1, interruptible: true);
    static readonly OfferCapacity Firm = TestMarket.Offer(Site, "firm", "H20", 2.00m, 1, interruptible: false);

    static Lease LeaseOf(string tenant, string offerId, int fromHour, int toHour, int units = 8, decimal price = 2.00m) => new()
    {
        Id = $"lease-{tenant}-{offerId}", TenantId = tenant, State = LeaseState.Active,
        Allocations =
        {
            new LeaseAllocation
            {
                OfferId = offerId, DatacenterId = Site.Id, HoldId = $"hold-{tenant}-{offerId}", Units = units,
                PricePerHour = Money.FromDecimal(price, "CNY"),
                Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(FirstHour.AddHours(fromHour)), End = Timestamp.FromDateTimeOffset(FirstHour.AddHours(toHour)) },
            },
        },
    };

    static List<Preemptible> Of(params Lease[] leases) => PreemptibleCapacity.Of(leases,
        new Dictionary<string, OfferCapacity> { [Spot.Offer.Id] = Spot, [Firm.Offer.Id] = Firm }, FirstHour, Hours,
        noticeEnds: FirstHour.AddHours(2).AddMinutes(30), premiumPercent: 10m);

    [Fact]
    public void Asks_for_the_hours_past_the_notice_at_the_lease_price_plus_the_premium()
    {
        var ask = Assert.Single(Of(LeaseOf("t1", "spot", 0, 6), LeaseOf("t2", "firm", 0, 6))).Ask;

        Assert.Equal(new[] { 0, 0, 0, 8, 8, 8, 0, 0, 0, 0, 0, 0 }, ask.Free); // hours 3-5: 2.5 h notice, lease ends at 6
        Assert.Equal(2.20m, ask.CostPerHour);
        Assert.Equal("spot", PreemptibleCapacity.OfferOf(ask.OfferId));
        Assert.True(PreemptibleCapacity.IsPreemptible(ask.OfferId));
        Assert.False(PreemptibleCapacity.IsPreemptible("spot"));
        Assert.Empty(Of(LeaseOf("t1", "spot", 0, 3))); // nothing left past the notice
    }

    [Theory]
    [InlineData("bidder", 2.21, true)]
    [InlineData("bidder", 2.19, false)] // above the lease's price, below its premium
    [InlineData("t1", 5.00, false)]     // the lease's own tenant
    public void Gives_a_bid_the_leased_hours_only_when_it_pays_more(string tenant, double limit, bool sold)
    {
        var full = Spot.Clone();
        full.Free.Clear(); // all of it leased
        var builder = new AuctionBookBuilder(Seeded.Reference, new QuotingPolicy());
        var demand = TestMarket.Demand(WorkloadKind.Batch, 8, 3) with { TenantId = tenant, EarliestStart = FirstHour.AddHours(3), Deadline = FirstHour.AddHours(6) };
        var bid = new BidProto { Id = "bid-1", TenantId = tenant, LimitPrice = Money.FromDecimal((decimal)limit, "CNY") };
        var built = builder.Build([(bid, demand)], [full], FirstHour, Hours, Of(LeaseOf("t1", "spot", 0, 6)));

        var outcome = new CallAuction(new AuctionRules()).Clear(built.Book);

        Assert.Equal(sold ? 24 : 0, outcome.Fills.Sum(f => f.Units));
        Assert.All(outcome.Fills, f => Assert.True(PreemptibleCapacity.IsPreemptible(f.OfferId)));
    }
}
