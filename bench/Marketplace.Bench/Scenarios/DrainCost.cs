using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Marketplace.Bench.Scenarios;

// What draining cost per posting, summed over the drains it measured: Redis's time in commands (INFO
// commandstats summed: wall time inside Redis, so a busy machine inflates it, and a script's commands
// count in the script and again on their own), Redis's CPU (INFO cpu, also the writing of its AOF and
// the socket work), and this process's CPU (billing runs in it; nothing else of the bench works while
// it drains).
sealed class DrainCost(IConnectionMultiplexer redis)
{
    double _commandUs, _redisCpuS, _processCpuS;
    long _postings;

    double _redisCpuAtStart;
    TimeSpan _processCpuAtStart;

    public async Task StartAsync()
    {
        await RedisBusyTime.ResetAsync(redis);
        _redisCpuAtStart = await RedisCpuAsync();
        _processCpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    }

    public async Task StopAsync(long postings)
    {
        _processCpuS += (Process.GetCurrentProcess().TotalProcessorTime - _processCpuAtStart).TotalSeconds;
        _redisCpuS += await RedisCpuAsync() - _redisCpuAtStart;
        _commandUs += (await RedisBusyTime.ReadAsync(redis)).Sum(b => b.Seconds) * 1e6;
        _postings += postings;
    }

    public string Note => _postings == 0 ? "no drain measured" :
        $"per posting drained ({_postings:N0}): Redis commands {_commandUs / _postings:0} us (all of commandstats), " +
        $"Redis CPU {_redisCpuS * 1e6 / _postings:0} us, the bench process (billing) CPU {_processCpuS * 1e6 / _postings:0} us";

    async Task<double> RedisCpuAsync()
    {
        var info = (string?)await redis.GetServers()[0].ExecuteAsync("INFO", "cpu") ?? "";
        return info.Split('\n').Select(l => l.Trim().Split(':')).Where(kv => kv is ["used_cpu_sys" or "used_cpu_user", _])
            .Sum(kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
    }
}
