namespace Marketplace.Broker.Exchange.Clearing;

// Every take a divisible bid could make: one of its products in one slot of its window. The programs
// hold only the few that pay (ColumnProgram); the rest stay here, priced against the duals, until one does.
sealed class TakeColumns
{
    public readonly record struct Take(int Demand, int Option, int Product, int Slot);

    readonly List<Take> _all = [];
    readonly List<int> _firstOf = [];   // _all index where each (demand, slot) starts, in order

    public TakeColumns(AuctionBook book, IReadOnlyList<DivisibleDemand> divisible, IReadOnlyDictionary<Product, int> productIndex)
    {
        Divisible = divisible;
        for (var d = 0; d < divisible.Count; d++)
        {
            var bid = divisible[d].Bid;
            for (var t = bid.FirstSlot; t < Math.Min(bid.EndSlot, book.Slots); t++)
            {
                _firstOf.Add(_all.Count);
                for (var o = 0; o < divisible[d].Products.Count; o++)
                    if (t >= divisible[d].Products[o].ReadySlot)
                        _all.Add(new Take(d, o, productIndex[divisible[d].Products[o].Product], t));
            }
        }
        _firstOf.Add(_all.Count);
        // Reduced-cost arguments about whole takes hold only where every take counts accelerator-hours.
        Whole = divisible.All(d => d.Bid.Quantity == Math.Floor(d.Bid.Quantity) && d.Products.All(p => p.UnitsPerHour == 1));
    }

    public IReadOnlyList<DivisibleDemand> Divisible { get; }
    public int Count => _all.Count;
    public Take this[int column] => _all[column];
    public bool Whole { get; }

    public (Product Product, decimal Value, decimal UnitsPerHour, decimal TransferPerHour, int ReadySlot) Option(int column) =>
        Divisible[_all[column].Demand].Products[_all[column].Option];

    // The takes of one bid in one slot, each its product choices, as column index ranges.
    public IEnumerable<(int From, int To)> BidSlots()
    {
        for (var i = 0; i + 1 < _firstOf.Count; i++)
            yield return (_firstOf[i], _firstOf[i + 1]);
    }
}
