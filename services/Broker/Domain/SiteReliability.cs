using Marketplace.Provider.V1;

namespace Marketplace.Broker.Domain;

// A site's share of leased hours delivered; one with nothing leased yet has let no one down.
public static class SiteReliability
{
    public static double Of(DataCenter site) => site.HasReliability ? site.Reliability : 1.0;
}
