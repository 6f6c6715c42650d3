using System.Collections.Concurrent;
using Marketplace.Broker.Domain;
using Marketplace.Provider.V1;

namespace Marketplace.Broker.Catalog;

// What every offer has free, as last heard. Events may arrive late or twice: an older version never
// replaces a newer one, so the snapshot and the event stream can be merged in any order.
public sealed class OfferCatalog
{
    readonly ConcurrentDictionary<string, OfferCapacity> _offers = new();
    readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    long _placesVersion;

    // Set once the provider's snapshot is in (CatalogSnapshotLoader). Before it the catalog holds only the
    // events heard since start: work that would conclude "nothing fits" from it (a quote, a failover, an
    // auction) waits for it.
    public bool IsLoaded => _loaded.Task.IsCompleted;

    public void MarkLoaded() => _loaded.TrySetResult();

    public Task WhenLoadedAsync(CancellationToken ct) => _loaded.Task.WaitAsync(ct);

    public int Count => _offers.Count;

    // Grows whenever an offer arrives or its place changes (OfferIndex.PlaceOf): the quote index is built
    // again only then, not on every hold that changes what is free.
    public long PlacesVersion => Interlocked.Read(ref _placesVersion);

    public bool Apply(OfferCapacity capacity)
    {
        var id = capacity.Offer.Id;
        while (true)
        {
            if (!_offers.TryGetValue(id, out var current))
            {
                if (_offers.TryAdd(id, capacity))
                {
                    Interlocked.Increment(ref _placesVersion);
                    return true;
                }
                continue;
            }
            if (capacity.Version <= current.Version)
                return false;
            if (_offers.TryUpdate(id, capacity, current))
            {
                if (OfferIndex.PlaceOf(capacity) != OfferIndex.PlaceOf(current))
                    Interlocked.Increment(ref _placesVersion);
                return true;
            }
        }
    }

    public OfferCapacity? Find(string offerId) => _offers.GetValueOrDefault(offerId);

    public IEnumerable<OfferCapacity> Live() =>
        _offers.Values.Where(o => o.Offer.State == OfferState.Active);
}
