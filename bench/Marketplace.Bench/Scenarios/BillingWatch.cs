using System.Diagnostics;
using Grpc.Core;
using Marketplace.Billing.Ledger;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Marketplace.Bench.Scenarios;

// N WatchBillingEvents calls following billing's event log live while postings are written onto it at a fixed
// rate: write-to-receipt latency and events delivered per second, at 1, 100 and 1,000 watchers (--watchers),
// next to one raw StackExchange.Redis XREAD BLOCK reader on its own connection following the same stream.
public sealed class BillingWatch : IScenario
{
    const int Database = 6; // billing-ingest uses 5
    const int PerSecond = 100;
    const string Prefix = "bench-watch", Tenant = "bench-watch-tenant";

    public string Name => "billing-watch";
    public string Description =>
        $"billing WatchBillingEvents, N watchers following the log live while {PerSecond} postings/s are written (--watchers): write-to-receipt p50/p99, events/s delivered";
    public string Baseline => "one raw StackExchange.Redis XREAD BLOCK reader on a connection of its own, same stream and rate, in the same rounds";

    public async Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct)
    {
        var options = context.Options;
        var servers = await context.ServersAsync(ct);
        await MarketSettings.EmptyDatabaseAsync(servers, Database);
        var redisConfig = MarketSettings.RedisFor(servers, Database);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisConfig);
        var log = new BillingLogEntries(redis.GetDatabase());
        await using var billing = await RunningService.StartAsync(Marketplace.Billing.Program.Build,
            MarketSettings.For(servers, Database, Prefix), ct);
        var fanOut = billing.Services.GetRequiredService<BillingLogFanOut>();
        using var channel = ManyStreamsChannel.For(billing.Address, MarketUnderTest.TokenFor(MarketRoles.Operator, "bench-operator", TimeSpan.FromHours(6)));
        var client = new BillingService.BillingServiceClient(channel);

        var watchers = options.Watchers;
        var outOfOrder = 0L;
        async Task<LoadResult> Run(int n, string step, TimeSpan warmUp, TimeSpan measured)
        {
            Console.Error.WriteLine($"  {step} {(n == 0 ? "raw XREAD BLOCK reader" : $"{n} watchers")}: {warmUp.TotalSeconds:0} s warm-up, {measured.TotalSeconds:0} s measured");
            var (result, gaps) = n == 0
                ? await RawRunAsync(redisConfig, log, warmUp, measured, ct)
                : await WatchRunAsync(client, fanOut, log, n, warmUp, measured, ct);
            outOfOrder += gaps;
            return result;
        }

        Console.Error.WriteLine($"  priming: one untimed run of {options.WarmUpSeconds + options.Seconds} s on the raw reader and on {watchers[0]} watcher(s)");
        await Run(0, "priming", TimeSpan.Zero, options.WarmUp + options.Measured);
        await Run(watchers[0], "priming", TimeSpan.Zero, options.WarmUp + options.Measured);

        var baselines = new List<LoadResult>();
        var subjects = watchers.Select(_ => new List<LoadResult>()).ToArray();
        for (var round = 1; round <= options.Rounds; round++)
        {
            var step = $"round {round}/{options.Rounds}";
            baselines.Add(await Run(0, step, options.WarmUp, options.Measured));
            for (var i = 0; i < watchers.Count; i++)
                subjects[i].Add(await Run(watchers[i], step, options.WarmUp, options.Measured));
        }

        var rows = watchers.Select((n, i) =>
        {
            var row = new ScenarioResult("raw XREAD BLOCK reader", "billing WatchBillingEvents",
                baselines.Zip(subjects[i], (b, s) => new RoundResult(b, s)).ToList());
            return row with
            {
                Unit = "events",
                Work = $"{n:N0} watchers",
                Notes = [$"each watcher got {row.Subject.RequestsPerSecond / n / row.Baseline.RequestsPerSecond:P1} of what the raw reader got (median events/s / watchers / baseline)"],
            };
        }).ToList();
        return new ScenarioOutcome(rows)
        {
            Notes =
            [
                $"postings written at {PerSecond}/s straight onto the log (XADD, in the shape where each entry carries its posting), every 5 ms what is due, pipelined; " +
                "latency from just before the XADD to the event's arrival at the reader; events/s counts every watcher's receipts in the measured period",
                $"watchers: operator calls from \"$\" over one channel that opens HTTP/2 connections as needed (100 streams each), all joined live before writing starts; " +
                $"billing in-process, one log reader blocking on its own Redis connection, channels of {new Marketplace.Billing.BillingOptions().WatchChannelCapacity} events",
                $"receipts out of order (a gap or a duplicate) in all runs: {outOfOrder}; watchers let go for falling behind (then catching up from the log): {fanOut.FellBehind:N0}",
            ],
        };
    }

    static async Task<(LoadResult, long)> WatchRunAsync(BillingService.BillingServiceClient client, BillingLogFanOut fanOut,
        BillingLogEntries log, int n, TimeSpan warmUp, TimeSpan measured, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var calls = Enumerable.Range(0, n)
            .Select(_ => client.WatchBillingEvents(new WatchBillingEventsRequest { TenantId = Tenant, FromCursor = "$" }, cancellationToken: stop.Token))
            .ToList();
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(fanOut.Watchers >= n), $"{n} watchers to join", TimeSpan.FromSeconds(120));
            var (writer, receipts) = Prepare(log, n, warmUp, measured);
            var reading = calls.Select((call, i) => Task.Run(async () =>
            {
                try
                {
                    await foreach (var e in call.ResponseStream.ReadAllAsync(stop.Token))
                        receipts.Got(i, e.Posting.SourceEventId);
                }
                catch (Exception) when (stop.IsCancellationRequested) { }
            }, ct)).ToList();
            await WriteThroughAsync(writer, warmUp + measured, ct);
            await stop.CancelAsync();
            await Task.WhenAll(reading);
            return (receipts.Result(measured, n), receipts.OutOfOrder);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var call in calls) call.Dispose();
            await Eventually.TrueAsync(() => Task.FromResult(fanOut.Watchers == 0), "the watchers to leave", TimeSpan.FromSeconds(60));
        }
    }

    // The baseline: XREAD BLOCK from the end, on a multiplexer of its own (a blocking read stalls a multiplexer).
    static async Task<(LoadResult, long)> RawRunAsync(string redisConfig, BillingLogEntries log, TimeSpan warmUp, TimeSpan measured,
        CancellationToken ct)
    {
        var config = ConfigurationOptions.Parse(redisConfig);
        config.AsyncTimeout = 10_000;
        await using var own = await ConnectionMultiplexer.ConnectAsync(config);
        var db = own.GetDatabase();
        var last = await db.StreamRangeAsync(BillingLogEntries.Log, "-", "+", 1, Order.Descending);
        var tail = last.Length == 0 ? "0-0" : (string)last[0].Id!;
        var (writer, receipts) = Prepare(log, 1, warmUp, measured);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var reply = await db.ExecuteAsync("XREAD", "COUNT", 500, "BLOCK", 1000, "STREAMS", BillingLogEntries.Log, tail);
                if (reply.IsNull) continue;
                foreach (var entry in (RedisResult[])((RedisResult[])((RedisResult[])reply!)[0]!)[1]!)
                {
                    var parts = (RedisResult[])entry!;
                    tail = (string)parts[0]!;
                    var fields = (RedisValue[])parts[1]!;
                    for (var i = 0; i + 1 < fields.Length; i += 2)
                        if (fields[i] == "event")
                            receipts.Got(0, (string)fields[i + 1]!);
                }
            }
        }, ct);
        await WriteThroughAsync(writer, warmUp + measured, ct);
        await stop.CancelAsync();
        await reading; // its last block ends within a second
        return (receipts.Result(measured, 1), receipts.OutOfOrder);
    }

    static (PacedLogWriter, WatchReceipts) Prepare(BillingLogEntries log, int readers, TimeSpan warmUp, TimeSpan measured)
    {
        var writer = new PacedLogWriter(log, Tenant, PerSecond, warmUp + measured);
        var from = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        return (writer, new WatchReceipts(writer, readers, from, from + (long)(measured.TotalSeconds * Stopwatch.Frequency)));
    }

    // Writes for the run's length, then leaves the readers a moment for what is still on its way.
    static async Task WriteThroughAsync(PacedLogWriter writer, TimeSpan runFor, CancellationToken ct)
    {
        using var until = CancellationTokenSource.CreateLinkedTokenSource(ct);
        until.CancelAfter(runFor);
        try { await writer.RunAsync(until.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
    }
}
