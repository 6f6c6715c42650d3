using System.Net;
using System.Net.Sockets;

namespace Marketplace.Console.Tests;

// A loopback TCP relay in front of the console, so a test can cut the browser's connections as a network
// fault would (Chromium's offline mode leaves an open stream alone). Bytes pass through untouched.
sealed class CuttableLink : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly Uri _target;
    readonly CancellationTokenSource _stop = new();
    readonly List<Socket> _open = [];
    readonly Task _accepting;

    CuttableLink(Uri target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public int Cuts { get; private set; }

    public static CuttableLink To(Uri target) => new(target);

    // Resets every connection open now; new ones pass again at once.
    public void CutAll()
    {
        lock (_open)
        {
            foreach (var socket in _open)
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0); // RST, as a dropped link looks
                }
                catch (ObjectDisposedException)
                {
                    // its relay closed it a moment ago
                }
                socket.Dispose();
            }
            _open.Clear();
            Cuts++;
        }
    }

    async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket browser;
            try
            {
                browser = await _listener.AcceptSocketAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = RelayAsync(browser, ct);
        }
    }

    async Task RelayAsync(Socket browser, CancellationToken ct)
    {
        var console = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (_open)
            _open.AddRange([browser, console]);
        try
        {
            await console.ConnectAsync(_target.Host, _target.Port, ct);
            await using var a = new NetworkStream(browser, ownsSocket: true);
            await using var b = new NetworkStream(console, ownsSocket: true);
            await Task.WhenAny(a.CopyToAsync(b, ct), b.CopyToAsync(a, ct));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // cut, or the test is over
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(browser);
                _open.Remove(console);
            }
            browser.Dispose();
            console.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        await _accepting;
    }
}
