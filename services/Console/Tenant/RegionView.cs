namespace Marketplace.Console.Tenant;

// A province or municipality for the form's choices and the map's marks (its compute city's coordinates).
public sealed record RegionView(string Id, string Name, string NameZh, string? HubId, double Latitude, double Longitude);
