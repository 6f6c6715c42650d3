using Marketplace.Broker.V1;

namespace Marketplace.Console.Exchange;

// The order book as the operator page draws it: free capacity (asks) by hub, region, model and hour, and
// open bids by the model they name and hour (bids name no hub: a bid may be served in several).
public sealed record BookView(long FirstHour, int OpenBids, IReadOnlyList<AskView> Asks, IReadOnlyList<BidDepthView> Bids)
{
    public static BookView From(OrderBook book) => new(
        UnixMs.Of(book.FirstHour), book.OpenBids,
        book.Asks.Select(a => new AskView(a.HubId, a.RegionId, a.AcceleratorModel, UnixMs.Of(a.Hour), Levels(a.Levels))).ToList(),
        book.Bids.Select(b => new BidDepthView(b.AcceleratorModel, UnixMs.Of(b.Hour), Levels(b.Levels))).ToList());

    static IReadOnlyList<LevelView> Levels(IEnumerable<BookLevel> levels) =>
        levels.Select(l => new LevelView(WholeFen.Of(l.PricePerHour), l.Accelerators)).ToList();
}
