using Marketplace.Broker.Exchange.Clearing;
using Xunit.Abstractions;

namespace Marketplace.Domain.Tests.Exchange;

// With the blocks fixed, whole accelerator-hour takes are priced by a min-cost flow (FlowProgram) rather
// than GLOP. On random books it must find what a search of every allocation finds where no block takes
// part, the linear program's optimum around the same blocks where they do, and prices that support it
// (they may differ from GLOP's duals where a pool's price is not unique). A round after paradoxical blocks
// left takes no merit-order block its prices would make paradoxical too.
public sealed class The_call_auction_by_flow(ITestOutputHelper output)
{
    const int Cases = 300;
    const decimal Tolerance = 0.001m;

    // Books past the relaxation's size clear around merit-order blocks, where the flow prices.
    static readonly AuctionRules ByFlow = new(LargestRelaxation: 0);
    static readonly AuctionRules ByLinearProgram = new(LargestRelaxation: 0, FlowPrices: false);

    [Fact]
    public void Finds_the_best_surplus_of_divisible_bids()
    {
        var seed = TestSeed.New();
        output.WriteLine($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        var auction = new CallAuction(ByFlow);
        var filled = 0;
        for (var n = 0; n < Cases; n++)
        {
            var drawn = RandomBooks.Book(random, n % 2 == 0 ? ["H20"] : RandomBooks.TwoModels);
            var book = drawn with { Bids = drawn.Bids.Where(b => !b.AllOrNothing).ToList() };
            var why = $"seed {seed}, case {n}: {The_call_auction_on_random_books.Describe(book)}";
            var outcome = auction.Clear(book);
            var best = BruteForceClearing.BestSurplus(book);

            Assert.True(Math.Abs(outcome.BestSurplus - best) <= Tolerance, $"{why}\nflow's optimum {outcome.BestSurplus}, search's {best}");
            Assert.True(Math.Abs(outcome.Surplus - best) <= Tolerance, $"{why}\nsurplus {outcome.Surplus}, best {best}");
            Assert.Equal(0, outcome.Gap);
            The_call_auction_on_random_books.AssertCapacityHolds(book, outcome, why);
            The_call_auction_on_random_books.AssertBidsKeepTheirTerms(book, outcome, why);
            The_call_auction_on_random_books.AssertPricesSupportTheAllocation(book, outcome, why);
            filled += outcome.Fills.Select(f => f.BidId).Distinct().Count();
        }
        output.WriteLine($"{Cases} books, {filled} bids filled");
        Assert.True(filled > Cases / 2, "the random books hardly ever trade: the test would prove little");
    }

    [Fact]
    public void Reaches_the_linear_programs_optimum_around_the_same_blocks()
    {
        var seed = TestSeed.New();
        output.WriteLine($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        var (flow, linear) = (new CallAuction(ByFlow), new CallAuction(ByLinearProgram));
        var blocks = 0;
        for (var n = 0; n < Cases; n++)
        {
            var book = RandomBooks.Book(random, RandomBooks.TwoModels);
            var why = $"seed {seed}, case {n}: {The_call_auction_on_random_books.Describe(book)}";
            var expected = linear.Clear(book);
            var actual = flow.Clear(book);

            // The first round's blocks are the same merit-order blocks; later rounds follow the prices.
            Assert.True(Math.Abs(actual.BestSurplus - expected.BestSurplus) <= Tolerance, $"{why}\nflow {actual.BestSurplus}, linear program {expected.BestSurplus}");
            if (actual.Paradoxical.Count == 0 && expected.Paradoxical.Count == 0)
                Assert.True(Math.Abs(actual.Surplus - expected.Surplus) <= Tolerance, $"{why}\nsurplus {actual.Surplus}, linear program {expected.Surplus}");
            The_call_auction_on_random_books.AssertCapacityHolds(book, actual, why);
            The_call_auction_on_random_books.AssertBidsKeepTheirTerms(book, actual, why);
            The_call_auction_on_random_books.AssertPricesSupportTheAllocation(book, actual, why);
            blocks += actual.Fills.Where(f => book.Bids.First(b => b.Id == f.BidId).AllOrNothing).Select(f => f.BidId).Distinct().Count();
        }
        output.WriteLine($"{Cases} books, {blocks} blocks filled");
        Assert.True(blocks > Cases / 10, "the random books hardly ever fill a block: the test would prove little");
    }

    [Fact]
    public void Leaves_out_a_block_the_last_rounds_prices_make_paradoxical()
    {
        // Guizhou has 6 cards. Merit order takes block b1 (8.50), and the divisible bid (9.50) that gets the
        // other 2 prices the hour at 9.50: b1 is paradoxical. At that price b2 (8.00) would be too, so the
        // second round leaves it out rather than take it and clear a third time.
        var book = new AuctionBook(DateTimeOffset.UnixEpoch, 1, [new Ask("gz", "dc-gz", "guizhou", "guizhou", "H20", 6m, [6])],
        [
            new Bid("b1", "t1", 4, 4, 8.50m, true, 0, 1, [new BidSite("gz", 1, 0, 0, 1)]),
            new Bid("b2", "t2", 4, 4, 8.00m, true, 0, 1, [new BidSite("gz", 1, 0, 0, 1)]),
            new Bid("pool", "t3", 4, 4, 9.50m, false, 0, 1, [new BidSite("gz", 1, 0, 0, 0)]),
        ]);

        var outcome = new CallAuction(ByFlow).Clear(book);

        Assert.Equal(["b1"], outcome.Paradoxical);
        Assert.Equal(2, outcome.Rounds);
        Assert.Equal(4, outcome.FillsOf("pool").Sum(f => f.Units));
        Assert.Empty(outcome.FillsOf("b2"));
        Assert.Equal(14m, outcome.Surplus);
        Assert.All(outcome.FillsOf("pool"), f => Assert.Equal(6m, f.Price));
    }
}
