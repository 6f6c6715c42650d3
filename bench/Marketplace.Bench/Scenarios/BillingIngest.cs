using System.Diagnostics;
using Marketplace.Events.V1;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;

namespace Marketplace.Bench.Scenarios;

// Usage events rated and posted by billing, per second, next to RabbitMQ.Client alone acking the same
// events from the same kind of queue. The backlog row drains a queue filled beforehand, so publishing is
// not measured and both start from the same backlog. The sweep rows consume while 1, 16 and 64
// publishers (--callers) publish with confirms for --seconds, so they show how ingest keeps up with
// live producers as they grow.
public sealed class BillingIngest : IScenario
{
    const int Database = 5; // the bench's other services use 0-2
    internal const string Prefix = "bench-billing";
    internal const string UsageQueue = $"{Prefix}-usage-recorded", LeaseQueue = $"{Prefix}-lease-created";
    static readonly string Exchange = UsageRecorded.Descriptor.FullName;
    static readonly int IngestPrefetch = new Marketplace.Billing.BillingOptions().IngestPrefetch;

    public string Name => "billing-ingest";
    public string Description =>
        "billing UsageRecorded -> ledger postings per second, draining a pre-filled quorum queue (--events), and consuming live at 1, 16 and 64 publishers (--callers)";
    public string Baseline => "a no-op RabbitMQ.Client consumer draining the same kind of queue, in the same rounds";

    public async Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct)
    {
        var servers = await context.ServersAsync(ct);
        var count = context.Options.Events;
        var warmUp = Math.Max(1, count / 4);
        var timeout = TimeSpan.FromSeconds(Math.Max(120, count / 100.0));
        await MarketSettings.EmptyDatabaseAsync(servers, Database);
        var settings = MarketSettings.For(servers, Database, Prefix);
        var publisher = new EventPublisher(servers.RabbitMqUri);
        var usage = new UsageEvents();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(MarketSettings.RedisFor(servers, Database));
        var ledger = new LedgerProgress(redis.GetDatabase());
        var cost = new DrainCost(redis);

        try
        {
            // Billing once: declares and binds its queues, hears of the lease, and runs its rating path
            // warm, as the runner's priming does for the call scenarios; then the raw consumer likewise.
            Console.Error.WriteLine($"  warm-up: billing hears of the lease and posts {warmUp:N0} live events; the raw consumer drains {warmUp:N0}");
            await using (var billing = await RunningService.StartAsync(Marketplace.Billing.Program.Build, settings, ct))
            {
                await publisher.PublishAsync([usage.Created], ct);
                await Eventually.TrueAsync(() => ledger.Db.KeyExistsAsync($"billing:{{b}}:lease:{usage.Lease.Id}"),
                    $"billing to hear of lease {usage.Lease.Id}", TimeSpan.FromSeconds(30));
                var before = await ledger.AppliedAsync();
                await publisher.PublishAsync(usage.NextBatch(warmUp), ct);
                await Eventually.TrueAsync(async () => await ledger.AppliedAsync() >= before + warmUp,
                    $"billing to post {warmUp} warm-up events", timeout);
            }
            await RawAsync(servers, publisher, usage, warmUp, timeout, ct);

            var rounds = new List<RoundResult>();
            var startUps = new List<TimeSpan>();
            long timed = 0;
            for (var round = 1; round <= context.Options.Rounds; round++)
            {
                Console.Error.WriteLine($"  round {round}/{context.Options.Rounds} raw consumer: publish {count:N0}, then drain");
                var raw = await RawAsync(servers, publisher, usage, count, timeout, ct);
                Console.Error.WriteLine($"  round {round}/{context.Options.Rounds} billing: publish {count:N0} while it is stopped, then start it and drain");
                var (subject, startUp) = await BillingAsync(servers, settings, publisher, usage, ledger, count, timeout, ct, cost);
                rounds.Add(new RoundResult(raw.ToLoadResult(), subject.ToLoadResult()));
                startUps.Add(startUp);
                timed += subject.Count - subject.AlreadyDone;
            }
            var sweep = new List<ScenarioResult>();
            foreach (var publishers in context.Options.Callers)
            {
                var live = new List<RoundResult>();
                for (var round = 1; round <= context.Options.Rounds; round++)
                {
                    Console.Error.WriteLine($"  round {round}/{context.Options.Rounds}, {publishers} publishers: raw consumer, then billing, " +
                                            $"each consuming while they publish for {context.Options.Seconds} s");
                    var raw = await RawQueueDrain.LiveAsync(servers.RabbitMqUri, Exchange,
                        () => PublishLiveAsync(servers, publishers, usage, context.Options.Measured, ct), timeout, ct);
                    var subject = await BillingLiveAsync(servers, settings, publishers, usage, ledger, context.Options.Measured, timeout, ct);
                    live.Add(new RoundResult(raw.ToLoadResult(), subject.ToLoadResult()));
                    timed += subject.Count;
                }
                sweep.Add(new ScenarioResult("raw consumer, no-op", "billing usage -> ledger", live)
                {
                    Unit = "events",
                    Work = publishers == 1 ? "1 publisher" : $"{publishers} publishers",
                });
            }
            var errors = await CountOrZeroAsync(servers.RabbitMqUri, $"{UsageQueue}_error", ct);

            var result = new ScenarioResult("raw consumer, no-op", "billing usage -> ledger", rounds)
                { Unit = "events", Work = $"backlog of {count:N0}" };
            return new ScenarioOutcome([.. sweep, result])
            {
                Notes =
                [
                    $"backlog: the raw consumer drains {1 / result.ThroughputRatio:0.0}x as fast as billing posts (1 / median ratio)",
                    $"backlog run: {count:N0} UsageRecorded of one lease published with RawBus (confirms) into the queue while its consumer is stopped, then drained",
                    $"sweep run: the consumer runs while N publishers, a connection each, publish with confirms in a closed loop for {context.Options.Seconds} s; " +
                    "timed from the first publish to the last event done, so at few publishers both consumers are held to the producers' pace",
                    $"timed from the first event done to the last: billing's start-up ({string.Join(" / ", startUps.Select(t => $"{t.TotalMilliseconds:N0}"))} ms, web host and bus) " +
                    "is outside the clock; its applied set is polled every 5 ms",
                    $"billing: queues {Prefix}-*, prefetch and concurrency {IngestPrefetch}, Redis database {Database} (AOF, fsync always); " +
                    "postings in flight written together, one ledger.lua call (one fsync) for up to 256; " +
                    $"{timed:N0} timed postings in all rounds, {errors} in {UsageQueue}_error",
                    $"backlog, {cost.Note}; as timed, from the first posting seen to the last",
                    $"raw: quorum queue {RawQueueDrain.Queue} bound to {Exchange}, prefetch 128, manual acks, no-op handler",
                ],
            };
        }
        finally
        {
            await BusCleanup.DeleteAsync(servers.RabbitMqUri, UsageQueue, LeaseQueue, RawQueueDrain.Queue,
                $"{UsageQueue}_error", $"{UsageQueue}_skipped", $"{LeaseQueue}_error", $"{LeaseQueue}_skipped");
        }
    }

    static Task<int> PublishLiveAsync(TestServers servers, int publishers, UsageEvents usage, TimeSpan duration, CancellationToken ct)
    {
        var next = usage.NextStream();
        return LivePublishers.RunAsync(servers.RabbitMqUri, publishers, duration, i => next(i), ct);
    }

    // Billing running while the publishers publish: timed from their start to the last of theirs posted.
    static async Task<DrainTiming> BillingLiveAsync(TestServers servers, Dictionary<string, string?> settings, int publishers,
        UsageEvents usage, LedgerProgress ledger, TimeSpan duration, TimeSpan timeout, CancellationToken ct)
    {
        await RabbitMqAdmin.PurgeAsync(servers.RabbitMqUri, UsageQueue, ct);
        await using var billing = await RunningService.StartAsync(Marketplace.Billing.Program.Build, settings, ct);
        var before = await ledger.AppliedAsync();
        var start = Stopwatch.GetTimestamp();
        var published = await PublishLiveAsync(servers, publishers, usage, duration, ct);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (await ledger.AppliedAsync() - before < published)
        {
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"billing posted fewer than {published} live events within {timeout.TotalSeconds:0} s");
            await Task.Delay(5, ct);
        }
        return new DrainTiming(published, 0, Stopwatch.GetElapsedTime(start));
    }

    static Task<DrainTiming> RawAsync(TestServers servers, EventPublisher publisher, UsageEvents usage, int count,
        TimeSpan timeout, CancellationToken ct)
    {
        var batch = usage.NextBatch(count);
        return RawQueueDrain.RunAsync(servers.RabbitMqUri, Exchange, count, () => publisher.PublishAsync(batch, ct), timeout, ct);
    }

    // Billing is stopped while its queue fills; started, it drains it. Its queue also got copies of the raw
    // consumer's batches (the exchange fans out to both): purged first.
    internal static async Task<(DrainTiming Drain, TimeSpan StartUp)> BillingAsync(TestServers servers,
        Dictionary<string, string?> settings, EventPublisher publisher, UsageEvents usage, LedgerProgress ledger, int count,
        TimeSpan timeout, CancellationToken ct, DrainCost? cost = null)
    {
        await RabbitMqAdmin.PurgeAsync(servers.RabbitMqUri, UsageQueue, ct);
        await publisher.PublishAsync(usage.NextBatch(count), ct);
        await QueueCheck.ExpectReadyAsync(servers.RabbitMqUri, UsageQueue, count, ct);

        var before = await ledger.AppliedAsync();
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(ct); // if billing fails to start
        var watching = WatchAppliedAsync(ledger, before, count, timeout, cost, stopWatching.Token);
        try
        {
            var clock = Stopwatch.StartNew();
            await using var billing = await RunningService.StartAsync(Marketplace.Billing.Program.Build, settings, ct);
            var startUp = clock.Elapsed;
            return (await watching, startUp);
        }
        finally
        {
            await stopWatching.CancelAsync();
        }
    }

    // Polls the ledger's applied set: the clock (and the cost meter) starts at the first posting seen and
    // stops at the last.
    static async Task<DrainTiming> WatchAppliedAsync(LedgerProgress ledger, long before, int count, TimeSpan timeout,
        DrainCost? cost, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        long first = 0, doneAtFirst = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var done = await ledger.AppliedAsync() - before;
            var now = Stopwatch.GetTimestamp();
            if (done > 0 && first == 0)
            {
                (first, doneAtFirst) = (now, done);
                if (cost is not null)
                    await cost.StartAsync();
            }
            if (done >= count)
            {
                var elapsed = Stopwatch.GetElapsedTime(first, now);
                if (cost is not null)
                    await cost.StopAsync(count - doneAtFirst);
                return new DrainTiming(count, (int)doneAtFirst, elapsed);
            }
            await Task.Delay(5, ct);
        }
        throw new TimeoutException($"billing posted fewer than {count} events within {timeout.TotalSeconds:0} s");
    }

    static async Task<uint> CountOrZeroAsync(Uri rabbit, string queue, CancellationToken ct)
    {
        try { return await RabbitMqAdmin.MessageCountAsync(rabbit, queue, ct); }
        catch (InvalidOperationException) { return 0; } // never created: nothing failed
    }
}
