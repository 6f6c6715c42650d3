namespace Marketplace.Reference;

// One of the eight national hubs of "East Data, West Compute". East: demand; west: resources.
public sealed record Hub(string Id, string Name, string NameZh, HubSide Side);

public enum HubSide { East, West }
