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

    public sealed record Shelf(Accelerator Model, string RegionId, IReadOnlyList<Entry> Entries, decimal MinTransferInPerGb);

    public OfferIndex(IEnumerable<OfferCapacity> live, MarketReference reference, long version)
    {
        Version = version;
        Shelves = live
            .Where(c => c.Offer.State == OfferState.Active)
            .Select(c => (Capacity: c, Model: reference.Accelerators.GetValueOrDefault(c.Offer.AcceleratorModel)))
            .Where(c => c.Model is not null)
            .GroupBy(c => (c.Model!.Model, c.Capacity.Datacenter.RegionId))
            .Select(shelf => new Shelf(shelf.First().Model!, shelf.Key.RegionId,
                shelf.Select(c => new Entry(c.Capacity.Offer.Id, c.Capacity.Offer.PricePerHour.ToDecimal()))
                    .OrderBy(e => e.PricePerHour).ThenBy(e => e.OfferId, StringComparer.Ordinal).ToList(),
                shelf.Min(c => c.Capacity.Datacenter.TransferInPricePerGb?.ToDecimal() ?? 0)))
            .OrderBy(s => s.Model.Model, StringComparer.Ordinal).ThenBy(s => s.RegionId, StringComparer.Ordinal)
            .ToList();
        Count = Shelves.Sum(s => s.Entries.Count);
    }

    // The catalog's place version this index was built from.
    public long Version { get; }
    public IReadOnlyList<Shelf> Shelves { get; }
    public int Count { get; }

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
