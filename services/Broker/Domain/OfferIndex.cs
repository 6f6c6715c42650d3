using Marketplace.Provider.V1;
using Marketplace.Reference;

namespace Marketplace.Broker.Domain;

// The live offers on shelves by accelerator model and region, each shelf cheapest first. Everything that
// decides which shelf an offer is on, and where on it, is its place (PlaceOf): free capacity changes with
// every hold and is read fresh from the catalog, but a place changes only when a provider edits an offer
// or a data center, and only then is the index built again.
public sealed class OfferIndex
{
    public sealed record Entry(string OfferId, decimal PricePerHour);

    // ModelSlot and RegionSlot number the index's distinct models and regions, so a quote judges each
    // once in an array rather than a dictionary of its own.
    public sealed record Shelf(Accelerator Model, string RegionId, IReadOnlyList<Entry> Entries, decimal MinTransferInPerGb,
        int ModelSlot, int RegionSlot);

    public OfferIndex(IEnumerable<OfferCapacity> live, MarketReference reference, long version)
    {
        Version = version;
        var models = new Dictionary<string, int>(StringComparer.Ordinal);
        var regions = new Dictionary<string, int>(StringComparer.Ordinal);
        Shelves = live
            .Where(c => c.Offer.State == OfferState.Active)
            .Select(c => (Capacity: c, Model: reference.Accelerators.GetValueOrDefault(c.Offer.AcceleratorModel)))
            .Where(c => c.Model is not null)
            .GroupBy(c => (c.Model!.Model, c.Capacity.Datacenter.RegionId))
            .OrderBy(shelf => shelf.Key.Model, StringComparer.Ordinal).ThenBy(shelf => shelf.Key.RegionId, StringComparer.Ordinal)
            .Select(shelf => new Shelf(shelf.First().Model!, shelf.Key.RegionId,
                shelf.Select(c => new Entry(c.Capacity.Offer.Id, c.Capacity.Offer.PricePerHour.ToDecimal()))
                    .OrderBy(e => e.PricePerHour).ThenBy(e => e.OfferId, StringComparer.Ordinal).ToArray(),
                shelf.Min(c => c.Capacity.Datacenter.TransferInPricePerGb?.ToDecimal() ?? 0),
                SlotOf(models, shelf.Key.Model), SlotOf(regions, shelf.Key.RegionId)))
            .ToList();
        ModelCount = models.Count;
        RegionCount = regions.Count;
        Count = Shelves.Sum(s => s.Entries.Count);
    }

    static int SlotOf(Dictionary<string, int> slots, string key)
    {
        if (!slots.TryGetValue(key, out var slot))
            slots[key] = slot = slots.Count;
        return slot;
    }

    // The catalog's place version this index was built from.
    public long Version { get; }
    public IReadOnlyList<Shelf> Shelves { get; }
    public int Count { get; }
    public int ModelCount { get; }
    public int RegionCount { get; }

    // What puts an offer on a shelf and orders it there; any change to it calls for a new index.
    public static (OfferState State, string Model, long PriceUnits, int PriceNanos, string Currency, string Datacenter,
        string Region, long TransferUnits, int TransferNanos) PlaceOf(OfferCapacity capacity)
    {
        var offer = capacity.Offer;
        var site = capacity.Datacenter;
        return (offer.State, offer.AcceleratorModel, offer.PricePerHour?.Units ?? 0, offer.PricePerHour?.Nanos ?? 0,
            offer.PricePerHour?.Currency ?? "", site?.Id ?? "", site?.RegionId ?? "", site?.TransferInPricePerGb?.Units ?? 0,
            site?.TransferInPricePerGb?.Nanos ?? 0);
    }
}
