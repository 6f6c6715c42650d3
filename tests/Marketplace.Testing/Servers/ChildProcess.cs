using System.Collections.Concurrent;
using System.Diagnostics;

namespace Marketplace.Testing.Servers;

// A server binary run as a child in its own temp folder. It must not outlive the test run even
// when DisposeAsync is never reached: a ProcessExit hook covers normal exits, and a tiny shell
// watchdog covers hard kills (e.g. the test host killed by a hang timeout).
internal sealed class ChildProcess : IDisposable
{
    readonly Process _process;
    readonly Process? _watchdog;
    readonly ConcurrentQueue<string> _tail = new();
    readonly string? _pidFile;
    int _disposed;

    public string Directory { get; }
    public bool HasExited => _process.HasExited;
    public int Id => _process.Id;
    public string Tail => string.Join('\n', _tail);

    public ChildProcess(string file, IEnumerable<string> args, IDictionary<string, string> env, string directory, string? pidFile = null)
    {
        Directory = directory;
        _pidFile = pidFile;
        _process = Process.Start(StartInfo(file, args, env, directory)) ?? throw new InvalidOperationException($"could not start {file}");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        var beam = pidFile is null ? "" : $" $(cat {Quote(pidFile)} 2>/dev/null)";
        _watchdog = Process.Start(StartInfo("/bin/sh", ["-c",
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; " +
            $"kill -9 {_process.Id}{beam} 2>/dev/null; rm -rf {Quote(directory)}"], new Dictionary<string, string>(), "/"));
    }

    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        KillTree(_process);
        // The Erlang VM can be re-parented if its launcher script died first: kill it by its pid file.
        if (_pidFile is not null && File.Exists(_pidFile) && int.TryParse(File.ReadAllText(_pidFile).Trim(), out var pid))
            try { using var vm = Process.GetProcessById(pid); if (vm.ProcessName.StartsWith("beam")) vm.Kill(); } catch { }
        if (_watchdog is not null) KillTree(_watchdog);
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch { }
    }

    // Finds a binary on PATH or in the usual Debian folders; preferred folders are tried first.
    public static string? Find(string name, string[] preferred, Func<string, bool>? accept = null)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return preferred.Concat(path).Concat(["/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"])
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(f => File.Exists(f) && (accept?.Invoke(f) ?? true));
    }

    // Runs a short command (rabbitmqctl) to completion; returns exit code and combined output.
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string> env, CancellationToken ct)
    {
        using var process = Process.Start(StartInfo(file, args, env, "/")) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try { await process.WaitForExitAsync(ct); }
        catch (OperationCanceledException) { KillTree(process); throw; }
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    static ProcessStartInfo StartInfo(string file, IEnumerable<string> args, IDictionary<string, string> env, string directory)
    {
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false, WorkingDirectory = directory,
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }

    void Keep(string? line)
    {
        if (line is null) return;
        _tail.Enqueue(line);
        while (_tail.Count > 60) _tail.TryDequeue(out _);
    }

    void OnProcessExit(object? sender, EventArgs e) => Dispose();

    static void KillTree(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch { }
    }

    static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
