namespace Marketplace.Testing.Faults;

// What a TcpProxy does to the connections through it.
public enum ProxyMode
{
    Pass,  // bytes flow both ways
    Cut,   // every connection reset, new ones reset on arrival: an outage, or a dead server
    Stall, // connections stay open and new ones are accepted, but no byte moves: a partition
}
