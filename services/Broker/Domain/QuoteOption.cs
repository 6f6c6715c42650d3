using Marketplace.Provider.V1;

namespace Marketplace.Broker.Domain;

// One way to serve a demand: so many units of one offer over whole hours from Start.
public sealed record QuoteOption(OfferCapacity Offer, int Units, DateTimeOffset Start, int Hours, decimal Compute)
{
    public DateTimeOffset End => Start.AddHours(Hours);
}
