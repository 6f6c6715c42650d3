namespace Marketplace.Bench.Scenarios;

// A process's resident set from /proc/<pid>/status (VmRSS), in MB: what the machine holds for it, heap and all.
public static class ProcessMemory
{
    public static double ResidentMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0; // kB
    }
}
