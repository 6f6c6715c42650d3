using Marketplace.Provider.V1;

namespace Marketplace.Console.Tenant;

// A data center where the map places it: the provider registers each site's latitude and longitude.
public sealed record SiteView(string Id, string Name, string ProviderId, string RegionId, string HubId, string City,
    double Latitude, double Longitude, double GreenPowerShare)
{
    public static SiteView From(DataCenter d) =>
        new(d.Id, d.Name, d.ProviderId, d.RegionId, d.HubId, d.City, d.Latitude, d.Longitude, d.GreenPowerShare);
}
