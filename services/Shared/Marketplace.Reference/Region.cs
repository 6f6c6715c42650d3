namespace Marketplace.Reference;

// A province or municipality; HubId is null outside the eight hubs. Coordinates are its compute city.
public sealed record Region(string Id, string Name, string NameZh, string? HubId, string City,
    double Latitude, double Longitude, decimal ElectricityYuanPerKwh);
