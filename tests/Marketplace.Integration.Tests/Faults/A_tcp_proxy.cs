using System.Net;
using System.Net.Sockets;
using System.Text;
using Marketplace.Testing.Faults;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Faults;

// The fault tests are only as true as their proxy: checked here against the market's real Redis with PING.
[Collection(MarketCollection.Name)]
public sealed class A_tcp_proxy(MarketFixture fixture)
{
    static readonly TimeSpan Silence = TimeSpan.FromSeconds(1);
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Passes_bytes_both_ways()
    {
        await using var proxy = TcpProxy.ToRedis(_market.Servers.RedisConnectionString);
        using var client = await ConnectAsync(proxy);

        Assert.Equal("+PONG", await PingAsync(client, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, proxy.Accepted);
    }

    [Fact]
    public async Task Cut_resets_live_connections_and_every_new_one()
    {
        await using var proxy = TcpProxy.ToRedis(_market.Servers.RedisConnectionString);
        using var live = await ConnectAsync(proxy);
        Assert.Equal("+PONG", await PingAsync(live, TimeSpan.FromSeconds(5)));

        proxy.Cut();
        Assert.True(await IsClosedAsync(live), "a live connection survived the cut");
        Assert.True(await IsTurnedAwayAsync(proxy), "a new connection was served during the cut");

        proxy.Pass();
        using var healed = await ConnectAsync(proxy);
        Assert.Equal("+PONG", await PingAsync(healed, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Stall_keeps_connections_open_but_silent_until_it_passes_again()
    {
        await using var proxy = TcpProxy.ToRedis(_market.Servers.RedisConnectionString);
        using var live = await ConnectAsync(proxy);
        Assert.Equal("+PONG", await PingAsync(live, TimeSpan.FromSeconds(5)));

        proxy.Stall();
        Assert.Null(await PingAsync(live, Silence));
        using var fresh = await ConnectAsync(proxy); // accepted, but it reaches nothing
        Assert.Null(await PingAsync(fresh, Silence));

        proxy.Pass();
        Assert.Equal("+PONG", await ReadLineAsync(live, TimeSpan.FromSeconds(5))); // held, then delivered
        Assert.Equal("+PONG", await ReadLineAsync(fresh, TimeSpan.FromSeconds(5)));
    }

    static async Task<Socket> ConnectAsync(TcpProxy proxy)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Port);
        return socket;
    }

    // null: no reply within `within`.
    static async Task<string?> PingAsync(Socket socket, TimeSpan within)
    {
        await socket.SendAsync("PING\r\n"u8.ToArray());
        return await ReadLineAsync(socket, within);
    }

    static async Task<string?> ReadLineAsync(Socket socket, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[64];
        try
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).TrimEnd();
        }
        catch (OperationCanceledException) { return null; }
    }

    // Reset while connecting, or closed or reset right after.
    static async Task<bool> IsTurnedAwayAsync(TcpProxy proxy)
    {
        Socket fresh;
        try { fresh = await ConnectAsync(proxy); }
        catch (SocketException) { return true; }
        using (fresh) return await IsClosedAsync(fresh);
    }

    // Closed or reset by the far end within a few seconds.
    static async Task<bool> IsClosedAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.SendAsync("PING\r\n"u8.ToArray());
            return await socket.ReceiveAsync(new byte[64], SocketFlags.None, timeout.Token) == 0;
        }
        catch (SocketException) { return true; }
        catch (OperationCanceledException) { return false; }
    }
}
