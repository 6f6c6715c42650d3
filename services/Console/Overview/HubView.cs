namespace Marketplace.Console.Overview;

// A national hub as the page labels it; east hubs are demand, west hubs are cheap green compute.
public sealed record HubView(string Id, string Name, string NameZh, string Side);
