using System.Diagnostics;
using Marketplace.Testing.Market;

namespace Marketplace.Bench.Scenarios;

// Postings written onto billing's event log at a fixed rate, in the entry-carries-the-posting shape. Posting
// n's source event id is "watch:<n>" and its write time (taken just before its XADD) is WrittenAt(n), so a
// reader of the log can tell how long it took to reach it.
public sealed class PacedLogWriter(BillingLogEntries log, string tenant, int perSecond, TimeSpan runFor)
{
    readonly long[] _writtenAt = new long[(int)(perSecond * (runFor.TotalSeconds + 1))];

    public int Written { get; private set; }

    public long WrittenAt(int n) => Volatile.Read(ref _writtenAt[n]);

    public static bool TryNumber(string sourceEventId, out int n) =>
        int.TryParse(sourceEventId.AsSpan(sourceEventId.IndexOf(':') + 1), out n);

    // Every 5 ms, whatever is due by then, in one pipelined batch.
    public async Task RunAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (Written < _writtenAt.Length && await tick.WaitForNextTickAsync(ct))
        {
            var due = Math.Min(_writtenAt.Length, (int)(Stopwatch.GetElapsedTime(started).TotalSeconds * perSecond));
            if (due <= Written)
                continue;
            var now = Stopwatch.GetTimestamp();
            for (var n = Written; n < due; n++)
                Volatile.Write(ref _writtenAt[n], now);
            await log.AppendAsync(tenant, "watch", Written, due - Written);
            Written = due;
        }
    }
}
