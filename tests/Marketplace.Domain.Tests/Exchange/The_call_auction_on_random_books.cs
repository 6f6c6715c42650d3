using Marketplace.Broker.Exchange.Clearing;
using Xunit.Abstractions;

namespace Marketplace.Domain.Tests.Exchange;

// On random small books the auction must find the surplus a search of every allocation finds, never sell
// an offer-slot twice, and set prices that support what it decided: no winner pays more than it is worth,
// no ask is paid less than it asked, and no bid left with room to take more values a product-slot above
// its price (nor above the ask of capacity that was left free).
public sealed class The_call_auction_on_random_books(ITestOutputHelper output)
{
    const int Cases = 300;
    const decimal Tolerance = 0.001m;

    [Fact]
    public void Finds_the_best_surplus_at_prices_that_support_it()
    {
        var seed = TestSeed.New();
        output.WriteLine($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        var rules = new AuctionRules();
        var auction = new CallAuction(rules);
        var (filled, paradoxes, blocks) = (0, 0, 0);
        for (var n = 0; n < Cases; n++)
        {
            var book = RandomBooks.Book(random);
            var why = $"seed {seed}, case {n}: {Describe(book)}";
            var outcome = auction.Clear(book);
            var best = BruteForceClearing.BestSurplus(book);

            Assert.True(Math.Abs(outcome.BestSurplus - best) <= Tolerance, $"{why}\nsolver's optimum {outcome.BestSurplus}, search's {best}");
            if (outcome.Paradoxical.Count == 0)
                Assert.True(Math.Abs(outcome.Surplus - best) <= Tolerance, $"{why}\nsurplus {outcome.Surplus}, best {best}");
            else
                Assert.True(outcome.Surplus <= best + Tolerance, $"{why}\nsurplus {outcome.Surplus} above the best {best}");
            AssertCapacityHolds(book, outcome, why);
            AssertBidsKeepTheirTerms(book, outcome, why);
            AssertPricesSupportTheAllocation(book, outcome, why);
            Assert.True(Math.Abs(outcome.Fills.Sum(f => f.Transfer) - outcome.MovingCost) <= Tolerance, $"{why}\nmoving cost {outcome.MovingCost}");
            filled += outcome.Fills.Select(f => f.BidId).Distinct().Count();
            paradoxes += outcome.Paradoxical.Count;
            blocks += outcome.Fills.Where(f => book.Bids.First(b => b.Id == f.BidId).AllOrNothing).Select(f => f.BidId).Distinct().Count();
        }
        output.WriteLine($"{Cases} books: {filled} bids filled ({blocks} all-or-nothing), {paradoxes} blocks set aside");
        Assert.True(filled > Cases / 2 && blocks > Cases / 10, "the random books hardly ever trade: the test would prove little");
    }

    internal static void AssertCapacityHolds(AuctionBook book, AuctionOutcome outcome, string why)
    {
        foreach (var used in outcome.Fills.GroupBy(f => (f.OfferId, f.Slot)))
        {
            var free = book.Asks.Single(a => a.OfferId == used.Key.OfferId).Free[used.Key.Slot];
            Assert.True(used.Sum(f => f.Units) <= free, $"{why}\n{used.Key} sold {used.Sum(f => f.Units)} of {free}");
        }
    }

    internal static void AssertBidsKeepTheirTerms(AuctionBook book, AuctionOutcome outcome, string why)
    {
        // A divisible bid's limit holds hour by hour; a block's over the whole block.
        var asks = book.Asks.ToDictionary(a => a.OfferId);
        var blocks = book.Bids.Where(b => b.AllOrNothing).Select(b => b.Id).ToHashSet();
        foreach (var fill in outcome.Fills)
        {
            Assert.True(blocks.Contains(fill.BidId) || fill.Price <= fill.Value + Tolerance, $"{why}\n{fill} pays above its worth");
            Assert.True(fill.Price >= fill.Cost - Tolerance, $"{why}\n{fill} pays the ask less than it asked");
        }
        foreach (var block in outcome.Fills.Where(f => blocks.Contains(f.BidId)).GroupBy(f => f.BidId))
            Assert.True(block.Sum(f => f.Price) <= block.Sum(f => f.Value) + Tolerance, $"{why}\nblock {block.Key} pays above its worth");
        foreach (var bid in book.Bids)
        {
            var fills = outcome.FillsOf(bid.Id).ToList();
            Assert.All(fills, f => Assert.True(f.Slot >= bid.FirstSlot && f.Slot < bid.EndSlot, $"{why}\n{f} outside its window"));
            Assert.All(fills, f => Assert.True(bid.AllOrNothing ? f.Slot >= bid.Sites.Single(s => s.OfferId == f.OfferId).ReadySlot
                : bid.Sites.Any(s => asks[s.OfferId].Product == asks[f.OfferId].Product && f.Slot >= s.ReadySlot), $"{why}\n{f} before its data arrives"));
            Assert.All(fills.GroupBy(f => f.Slot), s => Assert.True(s.Sum(f => f.Units) <= bid.Accelerators, $"{why}\n{bid.Id} over its accelerators"));
            Assert.True(fills.Sum(f => f.Units) <= bid.Quantity, $"{why}\n{bid.Id} got more than it asked");
            if (bid.AllOrNothing && fills.Count > 0)
            {
                var site = bid.Sites.Single(s => s.OfferId == fills[0].OfferId);
                Assert.True(fills.All(f => f.OfferId == site.OfferId && f.Units == bid.Accelerators), $"{why}\n{bid.Id} split");
                Assert.Equal(Enumerable.Range(fills[0].Slot, site.BlockHours), fills.Select(f => f.Slot));
            }
        }
    }

    internal static void AssertPricesSupportTheAllocation(AuctionBook book, AuctionOutcome outcome, string why)
    {
        var asks = book.Asks.ToDictionary(a => a.OfferId);
        var left = book.Asks.ToDictionary(a => a.OfferId, a => a.Free.ToArray());
        foreach (var fill in outcome.Fills)
            left[fill.OfferId][fill.Slot] -= fill.Units;
        foreach (var bid in book.Bids.Where(b => !b.AllOrNothing))
        {
            var fills = outcome.FillsOf(bid.Id).ToList();
            if (fills.Sum(f => f.Units) >= bid.Quantity)
                continue;
            for (var t = bid.FirstSlot; t < bid.EndSlot; t++)
            {
                if (fills.Where(f => f.Slot == t).Sum(f => f.Units) >= bid.Accelerators)
                    continue;
                foreach (var site in bid.Sites.Where(s => t >= s.ReadySlot))
                {
                    var ask = asks[site.OfferId];
                    var value = bid.Limit - site.ExtraPerHour - site.TransferOnce / bid.Quantity;
                    if (outcome.Prices.SingleOrDefault(p => p.RegionId == ask.RegionId && p.Model == ask.Model && p.Slot == t) is { } price)
                        Assert.True(value <= price.Price + Tolerance, $"{why}\n{bid.Id} left with room values {ask.Product} at {t} at {value} > its price {price.Price}");
                    if (left[ask.OfferId][t] > 0)
                        Assert.True(value <= ask.CostPerHour + Tolerance, $"{why}\n{bid.Id} left with room values {ask.OfferId} at {t} at {value}, above its free ask {ask.CostPerHour}");
                }
            }
        }
    }

    public static string Describe(AuctionBook book) =>
        "asks [" + string.Join("; ", book.Asks.Select(a => $"{a.OfferId} {a.RegionId} {a.Model} {a.CostPerHour} free {string.Join("/", a.Free)}")) +
        "] bids [" + string.Join("; ", book.Bids.Select(b => $"{b.Id} {(b.AllOrNothing ? "block" : "divisible")} {b.Accelerators}x " +
            $"q{b.Quantity} limit {b.Limit} slots {b.FirstSlot}..{b.EndSlot} at {string.Join(",", b.Sites.Select(s => $"{s.OfferId}+{s.ExtraPerHour}/{s.TransferOnce}@{s.ReadySlot}"))}")) + "]";
}
