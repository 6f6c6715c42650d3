using System.Diagnostics;
using System.Text.Json;

namespace Marketplace.Testing.Servers;

// Three private RabbitMQ nodes on this machine joined into one cluster: each with its own name, ports
// and folder, all with one Erlang cookie. A test can kill -9 a node's Erlang VM (a real crash, not a
// stop) and start it again on the same folder and ports, where it rejoins the cluster by itself.
public sealed class RabbitMqClusterProcess : IAsyncDisposable
{
    public const int Size = 3;
    public const string HowToGetIt =
        "A RabbitMQ cluster test starts three local nodes and kills one: install the server with " +
        "apt-get install -y rabbitmq-server (RabbitMQ 3.10 or later, with rabbitmqctl); neither " +
        TestServers.RabbitMqVariable + " nor Docker can stand in for it.";
    static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(90);

    readonly string _exe;
    readonly string _ctl;
    readonly Node[] _nodes;

    RabbitMqClusterProcess(string exe, Node[] nodes)
    {
        (_exe, _nodes) = (exe, nodes);
        _ctl = Path.Combine(Path.GetDirectoryName(exe)!, "rabbitmqctl");
    }

    public IReadOnlyList<int> Ports => _nodes.Select(n => n.Port).ToList();
    public IReadOnlyList<string> NodeNames => _nodes.Select(n => n.Name).ToList();

    // One node's own address, for a client that is to reach that node alone.
    public Uri NodeUri(int node) => new($"amqp://guest:guest@127.0.0.1:{_nodes[node].Port}/");

    // The whole cluster as the services are given it: amqp://guest:guest@127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/
    public string ConnectionString => $"amqp://guest:guest@{string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.Port}"))}/";

    public bool IsRunning(int node) => _nodes[node].Child is { HasExited: false };

    // Boots the nodes at once (each takes about 8 s alone), then joins the second and third to the first.
    // A free port can be taken by another process between being picked and being bound: a node that finds
    // its port in use is the cluster started again on fresh ports, up to three times.
    public static async Task<RabbitMqClusterProcess> StartAsync(CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(ct);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("eaddrinuse", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"a RabbitMQ cluster node found its port in use; starting the cluster again on fresh ports");
            }
        }
    }

    static async Task<RabbitMqClusterProcess> StartOnceAsync(CancellationToken ct)
    {
        string exe;
        try { exe = RabbitMqServerProcess.FindServer(); }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"{HowToGetIt} ({e.Message})", e); }
        var cookie = RabbitMqServerProcess.NewCookie();
        var run = $"{Guid.NewGuid():N}"[..8];
        var nodes = new Node[Size];
        for (var i = 0; i < Size; i++)
        {
            var dir = Directory.CreateTempSubdirectory($"mkt-rabbit-cluster-{i + 1}-").FullName;
            await RabbitMqServerProcess.PrepareFolderAsync(dir, cookie, ct);
            nodes[i] = new Node($"mkt-c{run}-{i + 1}@localhost", FreePort.Next(), FreePort.Next(), dir);
        }
        var cluster = new RabbitMqClusterProcess(exe, nodes);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Size).Select(i => cluster.BootAsync(i, ct)));
            // Joined one at a time, each to the first node.
            for (var i = 1; i < Size; i++)
            {
                await cluster.CtlAsync(i, ["stop_app"], ct);
                await cluster.CtlAsync(i, ["reset"], ct);
                await cluster.CtlAsync(i, ["join_cluster", nodes[0].Name], ct);
                await cluster.CtlAsync(i, ["start_app"], ct);
            }
            await cluster.WaitUntilRunningAsync(Size, ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    // SIGKILL to the node's Erlang VM: no goodbye to its peers or its clients, as when a machine dies.
    public async Task KillAsync(int node)
    {
        var n = _nodes[node];
        var child = n.Child ?? throw new InvalidOperationException($"node {n.Name} is not running");
        var vm = int.Parse((await File.ReadAllTextAsync(n.PidFile)).Trim());
        using (var process = Process.GetProcessById(vm))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await child.WaitForExitAsync(timeout.Token);
        n.Past.Add(child);
        n.Child = null;
    }

    // The killed node again, on its own folder and ports; returns once the cluster has all nodes running.
    public async Task StartAgainAsync(int node, CancellationToken ct = default)
    {
        await BootAsync(node, ct);
        await WaitUntilRunningAsync(Size, ct);
    }

    // rabbitmqctl against one node, e.g. ["list_queues", "name", "type", "members"]; throws on a non-zero exit.
    public async Task<string> CtlAsync(int node, IEnumerable<string> args, CancellationToken ct = default)
    {
        var n = _nodes[node];
        var (code, output) = await ChildProcess.RunAsync(_ctl, ["-n", n.Name, .. args], RabbitMqServerProcess.Env(n.Directory), ct);
        return code == 0 ? output : throw new InvalidOperationException($"rabbitmqctl -n {n.Name} {string.Join(' ', args)} exited with {code}: {output}");
    }

    // The nodes the cluster says are running, asked of a node that is.
    public async Task<IReadOnlyList<string>> RunningNodesAsync(CancellationToken ct = default)
    {
        var asked = Enumerable.Range(0, Size).First(IsRunning);
        var json = await CtlAsync(asked, ["cluster_status", "--formatter", "json"], ct);
        using var status = JsonDocument.Parse(json);
        return status.RootElement.GetProperty("running_nodes").EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        // Stopped in good order when that works (about 2 s each), else killed; the folders go with them.
        await Task.WhenAll(_nodes.Select(async n =>
        {
            if (n.Child is { HasExited: false } child)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await CtlAsync(Array.IndexOf(_nodes, n), ["stop"], timeout.Token);
                    await child.WaitForExitAsync(timeout.Token);
                }
                catch (Exception e) { Console.Error.WriteLine($"test servers: rabbitmqctl stop {n.Name} failed, killing it ({e.Message})"); }
            }
            n.Child?.Dispose();
            foreach (var past in n.Past)
                past.Dispose();
        }));
    }

    async Task BootAsync(int node, CancellationToken ct)
    {
        var n = _nodes[node];
        var env = RabbitMqServerProcess.NodeEnvironment(n.Directory, n.Name, n.Port, n.DistPort);
        // Three VMs on a small machine: schedulers that sleep when idle instead of spinning for work.
        env["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "+sbwt none +sbwtdcpu none +sbwtdio none";
        n.Child = new ChildProcess(_exe, [], env, n.Directory, n.PidFile);
        await RabbitMqServerProcess.WaitForAmqpAsync(n.Child, n.Name, n.Port, ct);
    }

    async Task WaitUntilRunningAsync(int count, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> running = [];
        while (clock.Elapsed < FormTimeout)
        {
            try
            {
                running = await RunningNodesAsync(ct);
                if (running.Count >= count)
                    return;
            }
            catch (InvalidOperationException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(250, ct);
        }
        throw new TimeoutException($"the RabbitMQ cluster did not have {count} running nodes within {FormTimeout.TotalSeconds} s " +
                                   $"(running: {string.Join(", ", running)})");
    }

    sealed class Node(string name, int port, int distPort, string directory)
    {
        public string Name { get; } = name;
        public int Port { get; } = port;
        public int DistPort { get; } = distPort;
        public string Directory { get; } = directory;
        public string PidFile => Path.Combine(Directory, "pid");
        public ChildProcess? Child { get; set; }

        // Runs killed earlier: disposed only at the end, since disposing one deletes the node's folder.
        public List<ChildProcess> Past { get; } = [];
    }
}
