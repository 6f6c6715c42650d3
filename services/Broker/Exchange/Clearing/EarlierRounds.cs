namespace Marketplace.Broker.Exchange.Clearing;

// What a book's last round of clearing (before its paradoxical blocks left) says to the next: how far each
// offer-slot's price rose above its ask, where a flow priced it. A merit-order block that would lose at
// those prices is left out of the next round rather than taken and found paradoxical again.
sealed class EarlierRounds
{
    public IReadOnlyDictionary<(string OfferId, int Slot), decimal>? AboveAsks { get; set; }

    // What a placement would gain at the last round's prices: its own surplus less its hours' price above its ask.
    public bool Loses(Placement placement)
    {
        if (AboveAsks is null)
            return false;
        var above = 0m;
        for (var t = placement.Start; t < placement.End; t++)
            above += AboveAsks.GetValueOrDefault((placement.Ask.OfferId, t));
        return placement.OwnSurplus < above * placement.Bid.Accelerators;
    }
}
