using System.Diagnostics;

namespace Marketplace.Testing.Servers;

// A 6-node Redis Cluster on loopback (3 masters, each with one replica), each node a private redis-server
// with its own folder, AOF with fsync always and a short node timeout, so a killed master's replica takes
// over within seconds. A node can be killed (SIGKILL) and started again: it comes back from its folder and
// rejoins as a replica.
public sealed class RedisClusterProcess : IAsyncDisposable
{
    const int NodeTimeoutMs = 2000;
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    readonly string _exe, _cli;
    readonly Node[] _nodes;

    RedisClusterProcess(string exe, string cli, Node[] nodes) { (_exe, _cli, _nodes) = (exe, cli, nodes); }

    sealed class Node(int port, int busPort, string directory)
    {
        public int Port { get; } = port;
        public int BusPort { get; } = busPort;
        public string Directory { get; } = directory;
        public ChildProcess? Process { get; set; }
    }

    public IReadOnlyList<int> Ports => _nodes.Select(n => n.Port).ToList();

    // Every node: the client learns the slot map from any of them and follows a failover.
    public string ConnectionString => string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.Port}")) + ",allowAdmin=true";

    public static async Task<RedisClusterProcess> StartAsync(CancellationToken ct = default)
    {
        var exe = ChildProcess.Find("redis-server", [])
            ?? throw new InvalidOperationException("redis-server was not found on PATH or in /usr/sbin, /usr/bin. " + TestServers.HowToGetServers);
        var cli = ChildProcess.Find("redis-cli", [])
            ?? throw new InvalidOperationException("redis-cli was not found (Debian: apt-get install -y redis-tools). " + TestServers.HowToGetServers);
        var nodes = Enumerable.Range(0, 6)
            .Select(_ => new Node(FreePort.Next(), FreePort.Next(), Directory.CreateTempSubdirectory("mkt-redis-cluster-").FullName))
            .ToArray();
        var cluster = new RedisClusterProcess(exe, cli, nodes);
        try
        {
            foreach (var node in nodes)
                cluster.Launch(node);
            foreach (var node in nodes)
                await cluster.WaitForAsync(node, "PING", reply => reply == "PONG", ct);
            var create = await ChildProcess.RunAsync(cli,
                ["--cluster", "create", .. nodes.Select(n => $"127.0.0.1:{n.Port}"), "--cluster-replicas", "1", "--cluster-yes"],
                new Dictionary<string, string>(), ct);
            if (create.ExitCode != 0)
                throw new InvalidOperationException($"redis-cli --cluster create failed:\n{create.Output}");
            await cluster.WaitUntilHealthyAsync(ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    // The ports of the nodes that are masters now.
    public async Task<IReadOnlyList<int>> MastersAsync(CancellationToken ct = default)
    {
        var live = _nodes.First(n => n.Process is { HasExited: false });
        var (_, nodes) = await CliAsync(live.Port, ["CLUSTER", "NODES"], ct);
        return nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(f => f.Length > 2 && f[2].Contains("master") && !f[2].Contains("fail"))
            .Select(f => int.Parse(f[1].Split('@')[0].Split(':')[1]))
            .ToList();
    }

    // SIGKILL, as a machine that dies: no AOF rewrite, no goodbye to the cluster.
    public void Kill(int port)
    {
        var node = _nodes.Single(n => n.Port == port);
        if (node.Process is { HasExited: false } process)
            System.Diagnostics.Process.GetProcessById(process.Id).Kill();
        node.Process = null; // its folder stays for the restart
    }

    // Starts a killed node again from its folder; it rejoins the cluster (as a replica if it was replaced).
    public async Task RestartAsync(int port, CancellationToken ct = default)
    {
        var node = _nodes.Single(n => n.Port == port);
        Launch(node);
        await WaitForAsync(node, "PING", reply => reply == "PONG", ct);
    }

    // Every slot served, every master with a replica in sync, and every live node agreeing.
    public async Task WaitUntilHealthyAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var live = _nodes.Where(n => n.Process is { HasExited: false }).ToList();
            var states = await Task.WhenAll(live.Select(n => CliAsync(n.Port, ["CLUSTER", "INFO"], ct)));
            var masters = await MastersAsync(ct);
            var synced = await Task.WhenAll(masters.Select(m => CliAsync(m, ["INFO", "replication"], ct)));
            if (states.All(s => s.Output.Contains("cluster_state:ok")) && masters.Count == 3
                && synced.All(s => s.Output.Contains("connected_slaves:1") && s.Output.Contains("state=online")))
                return;
            if (clock.Elapsed > StartTimeout)
                throw new TimeoutException($"the Redis Cluster was not healthy within {StartTimeout.TotalSeconds} s:\n" +
                    string.Join("\n", states.Select(s => s.Output)));
            await Task.Delay(200, ct);
        }
    }

    // Every slot served again after `killed` died: a replica promoted in its place, whether or not every
    // master has its replica back.
    public async Task WaitUntilServingAsync(int killed, TimeSpan within, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var live = _nodes.Where(n => n.Process is { HasExited: false }).ToList();
            var states = await Task.WhenAll(live.Select(n => CliAsync(n.Port, ["CLUSTER", "INFO"], ct)));
            var masters = await MastersAsync(ct);
            if (states.All(s => s.Output.Contains("cluster_state:ok")) && masters.Count == 3 && !masters.Contains(killed))
                return;
            if (clock.Elapsed > within)
                throw new TimeoutException($"the Redis Cluster did not serve every slot within {within.TotalSeconds} s");
            await Task.Delay(100, ct);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Process?.Dispose();
            try { Directory.Delete(node.Directory, recursive: true); } catch { }
        }
        return ValueTask.CompletedTask;
    }

    void Launch(Node node) =>
        node.Process = new ChildProcess(_exe,
        [
            "--port", node.Port.ToString(), "--cluster-port", node.BusPort.ToString(), "--bind", "127.0.0.1",
            "--dir", node.Directory, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", NodeTimeoutMs.ToString(), "--appendonly", "yes", "--appendfsync", "always",
            "--save", "", "--daemonize", "no",
        ], new Dictionary<string, string>(), node.Directory);

    async Task WaitForAsync(Node node, string command, Func<string, bool> ready, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!ready((await CliAsync(node.Port, [command], ct)).Output))
        {
            if (node.Process is { HasExited: true })
                throw new InvalidOperationException($"redis-server on port {node.Port} exited during start-up:\n{node.Process.Tail}");
            if (clock.Elapsed > StartTimeout)
                throw new TimeoutException($"redis-server on port {node.Port} did not answer within {StartTimeout.TotalSeconds} s");
            await Task.Delay(50, ct);
        }
    }

    Task<(int ExitCode, string Output)> CliAsync(int port, string[] args, CancellationToken ct) =>
        ChildProcess.RunAsync(_cli, ["-h", "127.0.0.1", "-p", port.ToString(), .. args], new Dictionary<string, string>(), ct);
}
