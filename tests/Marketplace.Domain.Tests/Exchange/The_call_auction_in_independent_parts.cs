using Marketplace.Broker.Exchange.Clearing;
using Xunit.Abstractions;

namespace Marketplace.Domain.Tests.Exchange;

// Clearing a book part by part (IndependentBooks) must give what clearing it whole gives: the same optimum,
// surplus and gap, on random books of two models that often fall apart; with every take in one program
// from the start (AllTakes), the same payments too. Where a pool's price is not unique (several duals
// support the optimum) programs grown take by take may settle on different ones, so the payments of
// the default clearing are held to the prices' own rules (The_call_auction_on_random_books) instead.
public sealed class The_call_auction_in_independent_parts(ITestOutputHelper output)
{
    const int Cases = 300;
    const decimal Tolerance = 0.001m;

    [Fact]
    public void Clears_a_book_as_its_whole_does()
    {
        var seed = TestSeed.New();
        output.WriteLine($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        var clearings = new[] { false, true }.Select(allTakes => (allTakes,
            Whole: new CallAuction(new AuctionRules(Decompose: false, AllTakes: allTakes)),
            InParts: new CallAuction(new AuctionRules(Decompose: true, AllTakes: allTakes)))).ToList();
        var split = 0;
        for (var n = 0; n < Cases; n++)
        {
            var book = RandomBooks.Book(random, RandomBooks.TwoModels);
            var why = $"seed {seed}, case {n}: {The_call_auction_on_random_books.Describe(book)}";
            foreach (var (allTakes, whole, inParts) in clearings)
            {
                var expected = whole.Clear(book);
                var actual = inParts.Clear(book);

                Assert.True(Math.Abs(actual.BestSurplus - expected.BestSurplus) <= Tolerance, $"{why}\noptimum {actual.BestSurplus}, whole {expected.BestSurplus}");
                Assert.True(Math.Abs(actual.Surplus - expected.Surplus) <= Tolerance, $"{why}\nsurplus {actual.Surplus}, whole {expected.Surplus}");
                Assert.Equal(expected.Gap, actual.Gap);
                if (allTakes)
                    Assert.True(Math.Abs(actual.BidderPayments - expected.BidderPayments) <= Tolerance, $"{why}\npayments {actual.BidderPayments}, whole {expected.BidderPayments}");
                Assert.Equal(book.Bids.Select(b => b.Id).Order(), actual.Fills.Select(f => f.BidId).Distinct().Concat(actual.Unfilled.Select(u => u.BidId)).Order());
            }
            split += IndependentBooks.Of(book).Count(p => p.Asks.Count > 0) > 1 ? 1 : 0;
        }
        output.WriteLine($"{Cases} books, {split} of them in more than one part that trades");
        Assert.True(split > Cases / 10, "the random books hardly ever fall apart: the test would prove little");
    }

    [Fact]
    public void Puts_every_bid_in_one_part_and_no_product_in_two()
    {
        var random = new Random(TestSeed.New());
        for (var n = 0; n < Cases; n++)
        {
            var book = RandomBooks.Book(random, RandomBooks.TwoModels);
            var parts = IndependentBooks.Of(book);

            Assert.Equal(book.Bids.Select(b => b.Id).Order(), parts.SelectMany(p => p.Bids).Select(b => b.Id).Order());
            var partOf = parts.SelectMany((p, i) => p.Asks.Select(a => (a.Product, i))).Distinct().ToLookup(x => x.Product, x => x.i);
            Assert.All(partOf, p => Assert.Single(p));
            var asks = book.Asks.ToDictionary(a => a.OfferId);
            foreach (var (part, i) in parts.Select((p, i) => (p, i)))
                foreach (var bid in part.Bids)
                {
                    // Whatever a bid could trade lies in its own part: elsewhere only sites worth no more than their asks.
                    var outside = bid.Sites.Select(s => asks[s.OfferId]).Where(a => !partOf[a.Product].Contains(i));
                    var cheapest = book.Asks.GroupBy(a => a.Product).ToDictionary(g => g.Key, g => g.Min(a => a.CostPerHour));
                    Assert.All(outside, a => Assert.True(bid.AllOrNothing
                        ? Placement.ValueAt(bid, bid.Sites.Single(s => s.OfferId == a.OfferId)) <= a.CostPerHour
                        : DivisibleDemand.ValueAt(bid, bid.Sites.Single(s => s.OfferId == a.OfferId)) <= cheapest[a.Product]));
                }
        }
    }
}
