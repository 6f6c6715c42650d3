using Marketplace.Broker.Exchange.Clearing;

namespace Marketplace.Domain.Tests.Exchange;

// The README's worked example of three hubs, and the rules for all-or-nothing blocks, by hand.
public sealed class A_call_auction
{
    static readonly DateTimeOffset Hour = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    readonly CallAuction _auction = new(new AuctionRules());

    static Ask Offer(string id, string region, string hub, decimal cost, params int[] free) =>
        new(id, "dc-" + region, region, hub, "H20", cost, free);

    static BidSite At(string offer, decimal extra = 0, decimal transfer = 0, int blockHours = 0) =>
        new(offer, 1, extra, transfer, blockHours);

    static Bid Divisible(string id, int accelerators, decimal hours, decimal limit, params BidSite[] sites) =>
        new(id, "tenant-" + id, accelerators, accelerators * hours, limit, false, 0, 1, sites);

    static readonly Ask Shanghai = Offer("sh", "shanghai", "yangtze-river-delta", 12m, 8);
    static readonly Ask Guizhou = Offer("gz", "guizhou", "guizhou", 6m, 8);
    static readonly Ask Gansu = Offer("gs", "gansu", "gansu", 5m, 4);

    // A: inference for users in Shanghai, 15.50 a card-hour at most; Guizhou's round trip costs it 4.50.
    // B: batch with its data in Shanghai, 9.00; moving it west costs 8 yuan (1.00 a card-hour).
    // C: batch with its data in Guizhou, 7.00, west only.
    static AuctionBook ThreeHubs() => new(Hour, 1, [Shanghai, Guizhou, Gansu],
    [
        Divisible("a", 8, 1, 15.50m, At("sh"), At("gz", extra: 4.50m)),
        Divisible("b", 8, 1, 9.00m, At("sh"), At("gz", transfer: 8), At("gs", transfer: 8)),
        Divisible("c", 6, 1, 7.00m, At("gz"), At("gs")),
    ]);

    [Fact]
    public void Prices_each_hub_at_its_margin_and_serves_the_bids_worth_most()
    {
        var outcome = _auction.Clear(ThreeHubs());

        Assert.Equal(12.00m, PriceIn(outcome, "shanghai"));  // Shanghai's ask, half sold, sets it
        Assert.Equal(7.50m, PriceIn(outcome, "guizhou"));    // A is indifferent: 15.50 - 12 = 11 - 7.50
        Assert.Equal(7.50m, PriceIn(outcome, "gansu"));      // B is served in both western hubs
        Assert.Equal(Units("a", "sh", 4, "gz", 4), Units(outcome, "a"));
        Assert.Equal(Units("b", "gs", 4, "gz", 4), Units(outcome, "b"));
        Assert.Contains(outcome.Unfilled, u => u.BidId == "c" && u.Reason.StartsWith("outbid", StringComparison.Ordinal));
        Assert.Equal(54m, outcome.Surplus);
        Assert.Equal(54m, outcome.BestSurplus);
        Assert.Equal(0, outcome.Gap);
        Assert.Equal(138m, outcome.ProviderReceipts);         // 4 x 12 + 12 x 7.50
        Assert.Equal(146m, outcome.BidderPayments);           // and B's 8 yuan of moving its data
        Assert.Equal(8m, outcome.MovingCost);
    }

    [Fact]
    public void Takes_an_all_or_nothing_block_whole_at_one_site_or_not_at_all()
    {
        // 6 cards for 2 hours: Guizhou has 4 free in the first hour, Gansu 6 in both.
        var book = new AuctionBook(Hour, 2, [Offer("gz", "guizhou", "guizhou", 6m, 4, 8), Offer("gs", "gansu", "gansu", 7m, 6, 6)],
            [new Bid("train", "tenant-t", 6, 12, 10m, true, 0, 2, [At("gz", blockHours: 2), At("gs", blockHours: 2)])]);

        var outcome = _auction.Clear(book);

        Assert.All(outcome.Fills, f => Assert.Equal(("gs", 6), (f.OfferId, f.Units)));
        Assert.Equal([0, 1], outcome.Fills.Select(f => f.Slot));
        Assert.All(outcome.Fills, f => Assert.Equal(7m, f.Price)); // nothing else trades: the block pays its site's ask
    }

    [Fact]
    public void Sets_aside_a_block_the_pool_prices_above_its_limit()
    {
        // The block (4 cards, 1 hour, 8.00) is placed first by surplus, but the divisible bid that wants
        // the same hour values it at 9.50: at the pool's price the block would pay more than its limit.
        var gz = Offer("gz", "guizhou", "guizhou", 6m, 6);
        var book = new AuctionBook(Hour, 1, [gz],
        [
            new Bid("block", "tenant-b", 4, 4, 8.00m, true, 0, 1, [At("gz", blockHours: 1)]),
            Divisible("pool", 4, 1, 9.50m, At("gz")),
        ]);

        var outcome = _auction.Clear(book);

        Assert.Equal(Units("pool", "gz", 4), Units(outcome, "pool"));
        Assert.DoesNotContain(outcome.Fills, f => f.BidId == "block");
        Assert.Equal(["block"], outcome.Paradoxical);
        Assert.Contains(outcome.Unfilled, u => u.BidId == "block" && u.Reason.StartsWith("set aside", StringComparison.Ordinal));
        Assert.Equal((14m, 15m), (outcome.Surplus, outcome.BestSurplus)); // the optimum held the block and 2 cards of the pool
        Assert.All(outcome.Fills, f => Assert.True(f.Price <= f.Value, $"{f.BidId} pays {f.Price} > {f.Value}"));
    }

    [Fact]
    public void Uses_no_site_before_the_bids_data_has_arrived_there()
    {
        // Gansu is cheaper, but the data reaches it only for the second hour: the first is run in Guizhou.
        // The block's data reaches Gansu for the second hour too, so it starts there then.
        var book = new AuctionBook(Hour, 2, [Offer("gz", "guizhou", "guizhou", 6m, 4, 4), Offer("gs", "gansu", "gansu", 5m, 8, 8)],
        [
            new Bid("batch", "tenant-b", 4, 8, 9m, false, 0, 2, [At("gz"), new BidSite("gs", 1, 0, 0, 0, ReadySlot: 1)]),
            new Bid("train", "tenant-t", 4, 4, 9m, true, 0, 2, [new BidSite("gs", 1, 0, 0, 1, ReadySlot: 1)]),
        ]);

        var outcome = _auction.Clear(book);

        Assert.Equal([("gz", 0, 4), ("gs", 1, 4)], outcome.FillsOf("batch").Select(f => (f.OfferId, f.Slot, f.Units)));
        Assert.Equal([("gs", 1, 4)], outcome.FillsOf("train").Select(f => (f.OfferId, f.Slot, f.Units)));
    }

    static decimal PriceIn(AuctionOutcome outcome, string region) => outcome.Prices.Single(p => p.RegionId == region).Price;

    static string Units(AuctionOutcome outcome, string bid) => string.Join(", ", outcome.FillsOf(bid)
        .GroupBy(f => f.OfferId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Sum(f => f.Units)}"));

    static string Units(string _, params object[] pairs) => string.Join(", ", pairs.Chunk(2)
        .OrderBy(p => (string)p[0], StringComparer.Ordinal).Select(p => $"{p[0]} {p[1]}"));
}
