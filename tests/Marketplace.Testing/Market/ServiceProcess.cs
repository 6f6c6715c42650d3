using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Marketplace.Testing.Servers;

namespace Marketplace.Testing.Market;

// One service run from its built dll as a separate OS process, so a test can kill -9 it: no graceful
// shutdown, no finally blocks, unacknowledged deliveries simply vanish with the process.
public sealed class ServiceProcess : IAsyncDisposable
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    readonly ChildProcess _child;

    ServiceProcess(ChildProcess child, int port)
    {
        _child = child;
        Port = port;
    }

    public int Port { get; }
    public Uri Address => new($"http://127.0.0.1:{Port}");
    public string GrpcAddress => $"http://127.0.0.1:{Port}"; // GrpcChannel.ForAddress(GrpcAddress)
    public bool HasExited => _child.HasExited;
    public int ProcessId => _child.Id; // `dotnet x.dll` runs the app in this very process: its /proc entry is the service's
    public string Tail => _child.Tail; // its last lines of output, for failure messages

    // Runs `dotnet <dll> --urls http://127.0.0.1:<free port>` from the test output folder, configured only
    // by `environment`, and returns once the port accepts TCP (the services start their bus before Kestrel).
    public static async Task<ServiceProcess> StartAsync(string dllName, IDictionary<string, string> environment,
        CancellationToken ct)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, dllName);
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{dllName} is not in the test output folder", dll);
        var port = FreePort.Next();
        // ChildProcess deletes its folder when done: give it a scratch one, never the output folder.
        var folder = Directory.CreateTempSubdirectory("mkt-service-").FullName;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var service = new ServiceProcess(
            new ChildProcess(dotnet, [dll, "--urls", $"http://127.0.0.1:{port}"], environment, folder), port);
        try
        {
            await service.WaitUntilListeningAsync(dllName, ct);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    // The same, configured by settings as a test market writes them ("ConnectionStrings:Redis"), passed as
    // the environment variables ASP.NET Core reads them from ("ConnectionStrings__Redis").
    public static Task<ServiceProcess> StartConfiguredAsync(string dllName, IReadOnlyDictionary<string, string?> settings, CancellationToken ct) =>
        StartAsync(dllName, EnvironmentFor(settings), ct);

    public static Dictionary<string, string> EnvironmentFor(IReadOnlyDictionary<string, string?> settings) =>
        settings.ToDictionary(e => e.Key.Replace(":", "__"), e => e.Value ?? "");

    // SIGKILL to the whole process tree, then wait until it is gone.
    public async Task KillAsync()
    {
        _child.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _child.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    async Task WaitUntilListeningAsync(string dllName, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, ct);
                return;
            }
            catch (SocketException) { }
            if (_child.HasExited)
                throw new InvalidOperationException($"{dllName} exited during start-up:\n{_child.Tail}");
            if (clock.Elapsed > StartTimeout)
                throw new TimeoutException($"{dllName} did not accept TCP on port {Port} within {StartTimeout.TotalSeconds} s:\n{_child.Tail}");
            await Task.Delay(100, ct);
        }
    }
}
