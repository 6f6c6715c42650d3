using Marketplace.Provider.V1;

namespace Marketplace.Provider.Domain;

// The hours an outage takes: from the hour it began in through the hour it ended in (an hour with any
// time down is not delivered). Open, or ended later than expected: to the end of time until it ends.
public static class OutageHours
{
    public static (long First, long Last) Of(Outage outage)
    {
        var first = Slots.Of(outage.Start.ToDateTimeOffset());
        if (outage.EndedAt is null)
            return (first, long.MaxValue / 2);
        var end = outage.EndedAt.ToDateTimeOffset();
        return (first, Math.Max(first, Slots.Of(end) - (end.ToUnixTimeSeconds() % 3600 == 0 ? 1 : 0)));
    }

    // A data center's outage takes every offer there; an offer's, that offer alone.
    public static bool Takes(Outage outage, string offerId) => outage.OfferId.Length == 0 || outage.OfferId == offerId;

    public static bool Covers(IEnumerable<Outage> outages, string offerId, long slot) => Taking(outages, offerId, slot) is not null;

    // The first outage that takes the offer's slot, if any.
    public static Outage? Taking(IEnumerable<Outage> outages, string offerId, long slot) =>
        outages.FirstOrDefault(o => Takes(o, offerId) && Of(o) is var (first, last) && slot >= first && slot <= last);
}
