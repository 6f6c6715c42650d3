using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Marketplace.Testing.Servers;

// A private redis-server on a free loopback port, AOF on with fsync always so durability tests are real.
public sealed class RedisServerProcess : IAsyncDisposable
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    readonly ChildProcess _child;

    public int Port { get; }
    public string ConnectionString => $"127.0.0.1:{Port},allowAdmin=true";

    RedisServerProcess(ChildProcess child, int port) { _child = child; Port = port; }

    // `extra` arguments go after the defaults (e.g. "--replicaof", "127.0.0.1", "<port>").
    public static Task<RedisServerProcess> StartAsync(CancellationToken ct = default, params string[] extra) =>
        StartOnAsync(FreePort.Next(), ct, extra);

    // On a given port: a server back where its clients knew it, after one there was stopped.
    public static async Task<RedisServerProcess> StartOnAsync(int port, CancellationToken ct = default, params string[] extra)
    {
        var exe = ChildProcess.Find("redis-server", [])
            ?? throw new InvalidOperationException("redis-server was not found on PATH or in /usr/sbin, /usr/bin. " + TestServers.HowToGetServers);
        var dir = Directory.CreateTempSubdirectory("mkt-redis-").FullName;
        var server = new RedisServerProcess(new ChildProcess(exe,
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes",
             "--appendfsync", "always", "--save", "", "--daemonize", "no", .. extra], new Dictionary<string, string>(), dir), port);
        try
        {
            var clock = Stopwatch.StartNew();
            while (!await PingAsync(port, ct))
            {
                if (server._child.HasExited)
                    throw new InvalidOperationException($"redis-server on port {port} exited during start-up:\n{server._child.Tail}");
                if (clock.Elapsed > StartTimeout)
                    throw new TimeoutException($"redis-server on port {port} did not answer PING within {StartTimeout.TotalSeconds} s:\n{server._child.Tail}");
                await Task.Delay(50, ct);
            }
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    // SIGSTOP: the process holds its connections but does nothing, as a replica stalled by its disk or
    // network; Resume (SIGCONT) lets it go on.
    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _child.Id.ToString()]);
        kill.WaitForExit();
    }

    // Killing is fine: the data lives in a temp folder that is deleted anyway.
    public ValueTask DisposeAsync()
    {
        _child.Dispose();
        return ValueTask.CompletedTask;
    }

    static async Task<bool> PingAsync(int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), ct);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, ct);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException) { return false; }
    }
}
