using Marketplace.Provider.V1;

namespace Marketplace.Console.Overview;

// A site or offer down, as the operator page lists it; times in Unix milliseconds (0: not known / ongoing).
public sealed record OutageView(string Id, string Provider, string Datacenter, string Offer, int Offers, long Start,
    long ExpectedEnd, long EndedAt, string Reason)
{
    public static OutageView From(Outage o) => new(o.Id, o.ProviderId, o.DatacenterId, o.OfferId, o.OfferIds.Count,
        UnixMs.Of(o.Start), UnixMs.Of(o.ExpectedEnd), UnixMs.Of(o.EndedAt), o.Reason);
}
