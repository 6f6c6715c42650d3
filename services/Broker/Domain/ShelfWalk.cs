namespace Marketplace.Broker.Domain;

// A quote's place on one shelf of the OfferIndex: the next offer to look at, and the least any offer
// from here on can cost (the shelf is cheapest first, so the bound only grows as the walk advances).
// A struct in an array the quote reuses (WalkScratch): a quote walks hundreds of shelves.
struct ShelfWalk(OfferIndex.Shelf shelf, int unitHours, decimal copay, decimal floor)
{
    readonly decimal _perYuanOfPrice = unitHours * copay;
    int _next;

    // Accelerators x the hours each runs: the least a lease on this shelf takes (an offer's minimum
    // lease may make it longer).
    public readonly int UnitHours => unitHours;

    public readonly OfferIndex.Entry Entry => shelf.Entries[_next];

    public readonly decimal Bound => Entry.PricePerHour * _perYuanOfPrice + floor;

    public bool Advance() => ++_next < shelf.Entries.Count;
}
