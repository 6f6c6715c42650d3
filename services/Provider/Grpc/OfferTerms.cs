using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Provider.Grpc;

// What of an offer a caller may see: a reserve price tells a buyer how low the provider would go, so only
// the provider itself and the platform (the exchange clears on it) see it.
static class OfferTerms
{
    public static Offer AsSeenBy(Offer offer, Caller caller)
    {
        if (offer.ReservePricePerHour is null || caller.SeesTermsOf(offer.ProviderId))
            return offer;
        var shown = offer.Clone();
        shown.ReservePricePerHour = null;
        return shown;
    }

    public static CatalogSnapshot AsSeenBy(CatalogSnapshot snapshot, Caller caller)
    {
        foreach (var capacity in snapshot.Offers)
            capacity.Offer = AsSeenBy(capacity.Offer, caller);
        return snapshot;
    }
}
