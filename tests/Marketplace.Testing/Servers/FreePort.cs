using System.Net;
using System.Net.Sockets;

namespace Marketplace.Testing.Servers;

public static class FreePort
{
    // The OS picks a free loopback port; there is a small window before the server binds it,
    // which is acceptable for tests (bind(0) ports are spread widely, collisions are rare).
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
