using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Marketplace.Testing.Faults;

// A loopback TCP relay in front of a real server, so a test can take the server away from one client
// the way a network does: Cut() is an outage (every connection reset, new ones reset on arrival),
// Stall() a partition (connections stay open, accepted, but no byte moves either way), Pass() heals.
// Bytes read while stalled are held and delivered on Pass(), as TCP retransmission would.
public sealed class TcpProxy : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly string _targetHost;
    readonly int _targetPort;
    readonly CancellationTokenSource _stop = new();
    readonly HashSet<Link> _links = [];
    readonly Task _accepting;
    TaskCompletionSource _flowing = Flowing(); // completed while bytes may move
    ProxyMode _mode = ProxyMode.Pass;
    int _accepted;

    TcpProxy(string host, int port)
    {
        (_targetHost, _targetPort) = (host, port);
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ProxyMode Mode { get { lock (_links) return _mode; } }

    // Connections ever accepted in pass or stall mode: proof the client really goes through the proxy.
    public int Accepted => Volatile.Read(ref _accepted);

    public static TcpProxy To(string host, int port) => new(host, port);

    public static TcpProxy ToRedis(string connectionString) =>
        ConfigurationOptions.Parse(connectionString).EndPoints.Single() switch
        {
            DnsEndPoint dns => To(dns.Host, dns.Port),
            IPEndPoint ip => To(ip.Address.ToString(), ip.Port),
            var other => throw new ArgumentException($"cannot proxy Redis endpoint {other}"),
        };

    public static TcpProxy ToRabbitMq(Uri amqp) => To(amqp.Host, amqp.IsDefaultPort || amqp.Port < 0 ? 5672 : amqp.Port);

    // The client's Redis connection string with the proxy as its one endpoint; password and options kept.
    public string RedisConnectionString(string original)
    {
        var options = ConfigurationOptions.Parse(original);
        options.EndPoints.Clear();
        options.EndPoints.Add(IPAddress.Loopback, Port);
        return options.ToString();
    }

    // The client's AMQP URI with the proxy as host and port; credentials and vhost kept.
    public Uri AmqpUri(Uri original) => new UriBuilder(original) { Host = "127.0.0.1", Port = Port }.Uri;

    public void Pass()
    {
        lock (_links)
        {
            _mode = ProxyMode.Pass;
            _flowing.TrySetResult();
        }
    }

    public void Stall()
    {
        lock (_links)
        {
            _mode = ProxyMode.Stall;
            if (_flowing.Task.IsCompleted) _flowing = Held();
        }
    }

    public void Cut()
    {
        List<Link> live;
        lock (_links)
        {
            _mode = ProxyMode.Cut;
            if (_flowing.Task.IsCompleted) _flowing = Held();
            live = [.. _links];
            _links.Clear();
        }
        foreach (var link in live) link.Reset();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }

    async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(ct); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }

            var link = new Link(client, ct);
            lock (_links)
            {
                if (_mode == ProxyMode.Cut) { link.Reset(); continue; }
                _links.Add(link);
                _accepted++;
            }
            _ = RelayAsync(link);
        }
    }

    async Task RelayAsync(Link link)
    {
        try
        {
            // A connection that arrives during a stall is accepted but reaches nothing until Pass().
            await FlowingAsync(link.Token);
            await link.Upstream.ConnectAsync(_targetHost, _targetPort, link.Token);
            await using var client = new NetworkStream(link.Client, ownsSocket: false);
            await using var upstream = new NetworkStream(link.Upstream, ownsSocket: false);
            await Task.WhenAny(PumpAsync(client, upstream, link.Token), PumpAsync(upstream, client, link.Token));
        }
        catch (Exception e) when (IsLinkFailure(e))
        {
            // cut, closed by either side, or the proxy is disposed
        }
        finally
        {
            lock (_links) _links.Remove(link);
            link.Close();
        }
    }

    // Ends when either side closes or fails; during a stall not even that crosses until Pass().
    async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, ct)) > 0)
            {
                await FlowingAsync(ct);
                await to.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (Exception e) when (IsLinkFailure(e)) { }
        try { await FlowingAsync(ct); }
        catch (OperationCanceledException) { }
    }

    Task FlowingAsync(CancellationToken ct)
    {
        lock (_links) return _flowing.Task.WaitAsync(ct);
    }

    static bool IsLinkFailure(Exception e) =>
        e is IOException or SocketException or ObjectDisposedException or OperationCanceledException;

    static TaskCompletionSource Held() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    static TaskCompletionSource Flowing()
    {
        var flowing = Held();
        flowing.SetResult();
        return flowing;
    }

    // One client connection and its connection to the target.
    sealed class Link(Socket client, CancellationToken proxyStopped)
    {
        readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(proxyStopped);

        public Socket Client { get; } = client;
        public Socket Upstream { get; } = new(SocketType.Stream, ProtocolType.Tcp);
        public CancellationToken Token => _cancel.Token;

        // RST on both sides, as a dropped link or a dead server looks to each end.
        public void Reset()
        {
            foreach (var socket in new[] { Client, Upstream })
            {
                try { socket.LingerState = new LingerOption(true, 0); }
                catch (Exception e) when (e is ObjectDisposedException or SocketException) { }
                socket.Dispose();
            }
            try { _cancel.Cancel(); } catch (ObjectDisposedException) { }
        }

        // Cancelled too, so the other direction's pump cannot wait on a stall that outlives its link.
        public void Close()
        {
            Client.Dispose();
            Upstream.Dispose();
            try { _cancel.Cancel(); } catch (ObjectDisposedException) { }
            _cancel.Dispose();
        }
    }
}
