namespace Marketplace.Broker.Exchange.Clearing;

// Splits a book into books that share no product: a bid ties together every product (region x model) it
// could trade in, and products no bid ties stay apart. Neither the optimum nor the prices of one part depend
// on another's, so each is cleared on its own, in a program a fraction of the whole's size. A bid that could
// trade nowhere (no site worth more than its ask) joins a part with no asks, where it is only told why.
public static class IndependentBooks
{
    public static IReadOnlyList<AuctionBook> Of(AuctionBook book)
    {
        var asks = book.Asks.ToDictionary(a => a.OfferId);
        var cheapest = book.Asks.GroupBy(a => a.Product).ToDictionary(g => g.Key, g => g.Min(a => a.CostPerHour));
        var parts = new ProductSets();
        var tradable = new List<(Bid Bid, Product Product)>();
        var loners = new List<Bid>();
        foreach (var bid in book.Bids)
        {
            var products = TradableProducts(bid, asks, cheapest).Distinct().ToList();
            if (products.Count == 0)
            {
                loners.Add(bid);
                continue;
            }
            foreach (var product in products.Skip(1))
                parts.Join(products[0], product);
            tradable.Add((bid, products[0]));
        }
        var bidsOf = tradable.ToLookup(x => parts.Root(x.Product), x => x.Bid);
        var books = book.Asks.GroupBy(a => parts.Root(a.Product))
            .Where(g => bidsOf.Contains(g.Key))
            .Select(g => book with { Asks = g.ToList(), Bids = bidsOf[g.Key].ToList() })
            .ToList();
        if (loners.Count > 0)
            books.Add(book with { Asks = [], Bids = loners });
        return books;
    }

    // The products where a site is worth more than an ask could cost: for a divisible bid, more than the
    // product's cheapest ask (as DivisibleDemand keeps); for a block, more than its own site's ask (as Placement).
    static IEnumerable<Product> TradableProducts(Bid bid, Dictionary<string, Ask> asks, Dictionary<Product, decimal> cheapest)
    {
        foreach (var site in bid.Sites)
        {
            if (!asks.TryGetValue(site.OfferId, out var ask))
                continue;
            if (bid.AllOrNothing
                    ? site.BlockHours > 0 && Placement.ValueAt(bid, site) > ask.CostPerHour
                    : site.UnitsPerHour > 0 && DivisibleDemand.ValueAt(bid, site) > cheapest[ask.Product])
                yield return ask.Product;
        }
    }
}
