using System.Diagnostics;
using System.Security.Cryptography;
using RabbitMQ.Client;

namespace Marketplace.Testing.Servers;

// A private RabbitMQ node (unique name, own ports, own folder) started from the real scripts in
// /usr/lib/rabbitmq/bin. The Debian wrapper in /usr/sbin is avoided on purpose: as root it su's to
// the rabbitmq user, which resets HOME (so the cookie is /var/lib/rabbitmq's) and needs chown'ed folders.
// Instead server and rabbitmqctl share HOME = the node's folder holding its own .erlang.cookie.
public sealed class RabbitMqServerProcess : IAsyncDisposable
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    readonly ChildProcess _child;
    readonly string _ctl;

    public int Port { get; }
    public string NodeName { get; }
    public Uri Uri => new($"amqp://guest:guest@127.0.0.1:{Port}/");

    RabbitMqServerProcess(ChildProcess child, string ctl, int port, string node) { _child = child; _ctl = ctl; Port = port; NodeName = node; }

    public static async Task<RabbitMqServerProcess> StartAsync(CancellationToken ct = default)
    {
        var exe = FindServer();
        var ctl = Path.Combine(Path.GetDirectoryName(exe)!, "rabbitmqctl");
        var dir = Directory.CreateTempSubdirectory("mkt-rabbitmq-").FullName;
        var (port, node) = (FreePort.Next(), $"mkt-test-{Guid.NewGuid():N}"[..20] + "@localhost");
        await PrepareFolderAsync(dir, NewCookie(), ct);
        var env = NodeEnvironment(dir, node, port, FreePort.Next());

        var server = new RabbitMqServerProcess(new ChildProcess(exe, [], env, dir, env["RABBITMQ_PID_FILE"]), ctl, port, node);
        try
        {
            await server.WaitUntilReadyAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    // rabbitmqctl against this node (e.g. "stop_app", "list_queues"); throws on a non-zero exit.
    public async Task<string> CtlAsync(IEnumerable<string> args, CancellationToken ct = default)
    {
        var (code, output) = await ChildProcess.RunAsync(_ctl, ["-n", NodeName, .. args], Env(_child.Directory), ct);
        return code == 0 ? output : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} exited with {code}: {output}");
    }

    // Graceful stop first (about 1-2 s), then kill whatever is left and delete the folder.
    public async ValueTask DisposeAsync()
    {
        if (!_child.HasExited)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await CtlAsync(["stop"], timeout.Token);
                await _child.WaitForExitAsync(timeout.Token);
            }
            catch (Exception e) { Console.Error.WriteLine($"test servers: rabbitmqctl stop {NodeName} failed, killing it ({e.Message})"); }
        }
        _child.Dispose();
    }

    Task WaitUntilReadyAsync(CancellationToken ct) => WaitForAmqpAsync(_child, NodeName, Port, ct);

    // Until the node accepts an AMQP connection; fails at once if it exits, or after StartTimeout.
    internal static async Task WaitForAmqpAsync(ChildProcess child, string node, int port, CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri($"amqp://guest:guest@127.0.0.1:{port}/"), RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
            AutomaticRecoveryEnabled = false,
        };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync(ct);
                return;
            }
            catch (Exception) when (!ct.IsCancellationRequested) { }
            if (child.HasExited)
                throw new InvalidOperationException($"rabbitmq-server node {node} exited during start-up:\n{child.Tail}");
            if (clock.Elapsed > StartTimeout)
                throw new TimeoutException($"rabbitmq node {node} did not accept AMQP on port {port} within {StartTimeout.TotalSeconds} s:\n{child.Tail}");
            await Task.Delay(250, ct);
        }
    }

    // The real server script, or a message saying how to get it.
    internal static string FindServer() =>
        ChildProcess.Find("rabbitmq-server", ["/usr/lib/rabbitmq/bin"], IsRealScript)
        ?? throw new InvalidOperationException("rabbitmq-server was not found in /usr/lib/rabbitmq/bin, on PATH or in /usr/sbin. " + TestServers.HowToGetServers);

    // Nodes that are to form a cluster share one cookie; a lone node gets one of its own.
    internal static string NewCookie() => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 20);

    // Nothing from /etc/rabbitmq may leak in: empty env/config files, no plugins.
    internal static async Task PrepareFolderAsync(string dir, string cookie, CancellationToken ct)
    {
        await File.WriteAllTextAsync(Path.Combine(dir, "rabbitmq-env.conf"), "", ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "rabbitmq.conf"), "", ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "advanced.config"), "[].\n", ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "enabled_plugins"), "[].\n", ct);
        var file = Path.Combine(dir, ".erlang.cookie");
        await File.WriteAllTextAsync(file, cookie, ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead); // Erlang refuses a cookie others can read
    }

    // Everything a node is told by environment: its name, ports and files, all inside its folder.
    internal static Dictionary<string, string> NodeEnvironment(string dir, string node, int port, int distPort)
    {
        var env = Env(dir);
        env["RABBITMQ_NODENAME"] = node;
        env["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        env["RABBITMQ_NODE_PORT"] = port.ToString();
        env["RABBITMQ_DIST_PORT"] = distPort.ToString();
        env["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir, "mnesia");
        env["RABBITMQ_LOG_BASE"] = Path.Combine(dir, "log");
        env["RABBITMQ_PID_FILE"] = Path.Combine(dir, "pid");
        env["RABBITMQ_CONFIG_FILE"] = Path.Combine(dir, "rabbitmq.conf");
        env["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(dir, "advanced.config");
        env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dir, "enabled_plugins");
        return env;
    }

    internal static Dictionary<string, string> Env(string dir) => new()
    {
        ["HOME"] = dir,
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(dir, "rabbitmq-env.conf"),
    };

    static bool IsRealScript(string path) =>
        !(new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.Name ?? "").Contains("script-wrapper");
}
