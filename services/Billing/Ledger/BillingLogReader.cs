using Marketplace.Billing.Storage;
using StackExchange.Redis;

namespace Marketplace.Billing.Ledger;

// The one reader of each shard's billing event log in this process: it blocks on the stream (XREAD BLOCK)
// and hands each new entry, as an event, to every live watcher. StackExchange.Redis runs every command of a
// multiplexer down one pipe, so a blocking command would stall all others behind it: each shard's reader
// has a multiplexer of its own (on Redis Cluster one XREAD cannot name keys of several slots). Should the
// blocking read fail, it backs off and reads again from where it was.
public sealed class BillingLogReader(IConnectionMultiplexer shared, LedgerStore ledger, BillingLogEvents events,
    BillingLogFanOut fanOut, BillingOptions options, ILogger<BillingLogReader> logger) : BackgroundService
{
    const int Count = 500;
    static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken ct) =>
        Task.WhenAll(ledger.Shards.All.Select(shard => Task.Run(() => FollowAsync(shard, ct), ct)));

    async Task FollowAsync(LedgerShard shard, CancellationToken ct)
    {
        var backOff = TimeSpan.FromMilliseconds(100);
        string? tail = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var own = await ConnectAsync(shard);
                // A pending XREAD cannot be cancelled; closing the connection ends it when the host stops.
                await using var stop = ct.Register(() => own.Close(allowCommandsToComplete: false));
                if (tail is null)
                {
                    tail = await ledger.LastCursorAsync(shard);
                    fanOut.Begin(shard.Index, tail);
                }
                while (!ct.IsCancellationRequested)
                {
                    var lines = await ReadAfterAsync(own.GetDatabase(), shard, tail);
                    if (lines.Count == 0)
                        continue;
                    // Events are built once for all watchers, and only when there is one to hand them to.
                    if (fanOut.Watchers > 0)
                        fanOut.Publish(await events.EventsAsync(lines));
                    tail = lines[^1].Cursor;
                    backOff = TimeSpan.FromMilliseconds(100);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Reading the billing event log of {Shard} failed; reading again from {Cursor} in {BackOff}", shard, tail, backOff);
                await Task.Delay(backOff, ct);
                backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, MaxBackOff.Ticks));
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // stopping: the closed connection failed the pending read
            }
        }
    }

    // The shared multiplexer's own settings (server, database, credentials), with room for the block.
    async Task<ConnectionMultiplexer> ConnectAsync(LedgerShard shard)
    {
        var config = ConfigurationOptions.Parse(shared.Configuration);
        var timeout = (int)(options.WatchBlockTimeout + TimeSpan.FromSeconds(5)).TotalMilliseconds;
        config.AsyncTimeout = config.SyncTimeout = Math.Max(config.AsyncTimeout, timeout);
        config.ClientName = $"billing-log-reader-{shard.Index}";
        config.AbortOnConnectFail = true; // a failed connect is retried by the loop, with its back-off
        return await ConnectionMultiplexer.ConnectAsync(config);
    }

    // Entries after `tail`, waiting up to the block timeout for the first; none when it passes.
    async Task<IReadOnlyList<LedgerStore.LogLine>> ReadAfterAsync(IDatabase db, LedgerShard shard, string tail)
    {
        var reply = await db.ExecuteAsync("XREAD", "COUNT", Count, "BLOCK", (long)options.WatchBlockTimeout.TotalMilliseconds,
            "STREAMS", shard.Log, tail);
        if (reply.IsNull)
            return [];
        // [[key, [[id, [field, value, ...]], ...]]]
        var stream = (RedisResult[])((RedisResult[])reply!)[0]!;
        return ((RedisResult[])stream[1]!).Select(entry =>
        {
            var parts = (RedisResult[])entry!;
            var flat = (RedisValue[])parts[1]!;
            var values = new NameValueEntry[flat.Length / 2];
            for (var i = 0; i < values.Length; i++)
                values[i] = new NameValueEntry(flat[2 * i], flat[2 * i + 1]);
            return BillingLogEntry.Parse(shard.Index, new StreamEntry((RedisValue)parts[0], values));
        }).ToList();
    }
}
