using Marketplace.Broker.Exchange.Clearing;
using Xunit.Abstractions;

namespace Marketplace.Domain.Tests.Exchange;

// With the blocks fixed, whole accelerator-hour takes are priced by a min-cost flow (FlowProgram) rather
// than GLOP. On random books it must find what a search of every allocation finds where no block takes
// part, the linear program's optimum around the same blocks where they do, and prices that support it
// (they may differ from GLOP's duals where a pool's price is not unique).
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
}
