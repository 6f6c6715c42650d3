using System.Collections.Concurrent;
using Marketplace.Provider.V1;

namespace Marketplace.Broker.Catalog;

// What every offer has free, as last heard. Events may arrive late or twice: an older version never
// replaces a newer one, so the snapshot and the event stream can be merged in any order.
public sealed class OfferCatalog
{
    readonly ConcurrentDictionary<string, OfferCapacity> _offers = new();

    public int Count => _offers.Count;

    public bool Apply(OfferCapacity capacity)
    {
        var id = capacity.Offer.Id;
        while (true)
        {
            if (!_offers.TryGetValue(id, out var current))
            {
                if (_offers.TryAdd(id, capacity))
                    return true;
                continue;
            }
            if (capacity.Version <= current.Version)
                return false;
            if (_offers.TryUpdate(id, capacity, current))
                return true;
        }
    }

    public OfferCapacity? Find(string offerId) => _offers.GetValueOrDefault(offerId);

    public IEnumerable<OfferCapacity> Live() =>
        _offers.Values.Where(o => o.Offer.State == OfferState.Active);
}
