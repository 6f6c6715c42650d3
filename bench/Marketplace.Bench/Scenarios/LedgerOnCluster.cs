using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;

namespace Marketplace.Bench.Scenarios;

// What billing's ledger does as Redis masters and ledger shards are added: the same backlog drain as
// billing-ingest, of usage spread over 24 tenants, with billing on one Redis and one shard (the baseline)
// and then: on one Redis in 3 shards; on a 6-node Redis Cluster (3 masters, a replica each) in one shard;
// on such a cluster in 3 shards (one on each master), without and with waiting for the replica
// (Redis:WaitForReplicas=1, what a cluster deployment runs). A ledger's shard count is fixed once it has
// data, so each shard count has a Redis (a database, or a cluster) of its own.
public sealed class LedgerOnCluster : IScenario
{
    const int OneShardDatabase = 6, ThreeShardDatabase = 7; // one Redis: billing-ingest uses 5
    const int Tenants = 24, Shards = 3;

    public string Name => "ledger-cluster";
    public string Description =>
        "billing draining a backlog of --events UsageRecorded (24 tenants) into a ledger of 1 or 3 shards, on one Redis and on 3-master Redis Clusters, without and with WAIT for a replica";
    public string Baseline => "the same drain with billing on one Redis and one shard, in the same rounds";

    sealed record Target(string Name, Dictionary<string, string?> Settings, LedgerProgress Ledger);

    public async Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct)
    {
        var servers = await context.ServersAsync(ct);
        var count = context.Options.Events;
        var timeout = TimeSpan.FromSeconds(Math.Max(120, count / 100.0));
        await MarketSettings.EmptyDatabaseAsync(servers, OneShardDatabase);
        await MarketSettings.EmptyDatabaseAsync(servers, ThreeShardDatabase);
        await using var oneShardCluster = await RedisClusterProcess.StartAsync(ct);
        await using var shardedCluster = await RedisClusterProcess.StartAsync(ct);
        await using var single = await ConnectionMultiplexer.ConnectAsync(MarketSettings.RedisFor(servers, OneShardDatabase));
        await using var singleSharded = await ConnectionMultiplexer.ConnectAsync(MarketSettings.RedisFor(servers, ThreeShardDatabase));
        await using var clusterOne = await ConnectionMultiplexer.ConnectAsync(oneShardCluster.ConnectionString);
        await using var clusterSharded = await ConnectionMultiplexer.ConnectAsync(shardedCluster.ConnectionString);
        (string, string?) ShardCount(int n) => ("Billing:LedgerShards", $"{n}");
        var baseline = new Target("one Redis, 1 shard",
            MarketSettings.For(servers, OneShardDatabase, BillingIngest.Prefix), new LedgerProgress(single.GetDatabase()));
        var subjects = new[]
        {
            new Target("one Redis, 3 shards", MarketSettings.For(servers, ThreeShardDatabase, BillingIngest.Prefix, ShardCount(Shards)),
                new LedgerProgress(singleSharded.GetDatabase(), Shards)),
            new Target("cluster, 1 shard", MarketSettings.For(servers, 0, BillingIngest.Prefix,
                ("ConnectionStrings:Redis", oneShardCluster.ConnectionString)), new LedgerProgress(clusterOne.GetDatabase())),
            new Target("cluster, 3 shards", MarketSettings.For(servers, 0, BillingIngest.Prefix,
                ("ConnectionStrings:Redis", shardedCluster.ConnectionString), ShardCount(Shards)), new LedgerProgress(clusterSharded.GetDatabase(), Shards)),
            new Target("cluster, 3 shards, WAIT 1", MarketSettings.For(servers, 0, BillingIngest.Prefix,
                ("ConnectionStrings:Redis", shardedCluster.ConnectionString), ShardCount(Shards), ("Redis:WaitForReplicas", "1")),
                new LedgerProgress(clusterSharded.GetDatabase(), Shards)),
        };
        var publisher = new EventPublisher(servers.RabbitMqUri);
        var usage = new UsageEvents(Tenants);

        try
        {
            // Each Redis hears of the leases first (their usage is parked until then), then drains a warm-up.
            foreach (var target in subjects.Prepend(baseline).DistinctBy(t => t.Ledger.Db.Multiplexer))
            {
                await using (var billing = await RunningService.StartAsync(Marketplace.Billing.Program.Build, target.Settings, ct))
                {
                    await publisher.PublishAsync(usage.AllCreated, ct);
                    foreach (var lease in usage.Leases)
                        await Eventually.TrueAsync(() => target.Ledger.Db.KeyExistsAsync($"billing:{{b}}:lease:{lease.Id}"),
                            $"billing ({target.Name}) to hear of lease {lease.Id}", TimeSpan.FromSeconds(30));
                }
                await BillingIngest.BillingAsync(servers, target.Settings, publisher, usage, target.Ledger, Math.Max(1, count / 4), timeout, ct);
            }

            // The Redis side of the rounds, per master: what a ledger of 1 or 3 shards asks of each.
            var oneMasters = await oneShardCluster.MastersAsync(ct);
            var shardedMasters = await shardedCluster.MastersAsync(ct);
            await RedisBusyTime.ResetAsync(single);
            await RedisBusyTime.ResetAsync(clusterOne, oneMasters);
            await RedisBusyTime.ResetAsync(clusterSharded, shardedMasters);
            var rounds = subjects.ToDictionary(s => s, _ => new List<RoundResult>());
            for (var round = 1; round <= context.Options.Rounds; round++)
            {
                Console.Error.WriteLine($"  round {round}/{context.Options.Rounds}: {baseline.Name}, then {string.Join("; ", subjects.Select(s => s.Name))}; {count:N0} events each");
                var drained = (await BillingIngest.BillingAsync(servers, baseline.Settings, publisher, usage, baseline.Ledger, count, timeout, ct)).Drain;
                foreach (var subject in subjects)
                {
                    var drain = (await BillingIngest.BillingAsync(servers, subject.Settings, publisher, usage, subject.Ledger, count, timeout, ct)).Drain;
                    rounds[subject].Add(new RoundResult(drained.ToLoadResult(), drain.ToLoadResult()));
                }
            }
            var postings = (long)count * context.Options.Rounds;
            var busy = new[]
            {
                ("one Redis (1 and 3 shards)", await RedisBusyTime.ReadAsync(single), 2 * postings),
                ("cluster, 1 shard", await RedisBusyTime.ReadAsync(clusterOne, oneMasters), postings),
                ("cluster, 3 shards (with and without WAIT)", await RedisBusyTime.ReadAsync(clusterSharded, shardedMasters), 2 * postings),
            };
            var ceilingAlone = busy[0].Item3 / busy[0].Item2.Max(b => b.Seconds);
            var redisSide = busy.Select(b =>
            {
                var total = b.Item2.Sum(m => m.Seconds);
                var ceiling = b.Item3 / b.Item2.Max(m => m.Seconds);
                return $"Redis side, {b.Item1}: {1e6 * total / b.Item3:0} us of commands a posting, by master " +
                    string.Join(" / ", b.Item2.Select(m => $"{100 * m.Seconds / total:0}%")) +
                    $"; the busiest master's ceiling {ceiling:N0} postings/s, {ceiling / ceilingAlone:0.00}x one Redis's";
            }).ToList();
            return new ScenarioOutcome(subjects.Select(s =>
                new ScenarioResult($"billing, {baseline.Name}", $"billing, {s.Name}", rounds[s]) { Unit = "events", Work = s.Name }).ToList())
            {
                Notes =
                [
                    $"backlog of {count:N0} UsageRecorded of {Tenants} tenants' leases, drained as in billing-ingest; every node AOF with fsync always",
                    "a ledger of 1 shard keeps every key under the hash tag {b}: one master takes every posting; 3 shards put a third of the tenants on each master",
                    "WAIT 1: each ledger.lua batch waits until its master's replica has it, so a failover cannot take an acknowledged posting",
                    "all Redis nodes, RabbitMQ and billing share the machine's cores and disk",
                    .. redisSide,
                ],
            };
        }
        finally
        {
            await BusCleanup.DeleteAsync(servers.RabbitMqUri, BillingIngest.UsageQueue, BillingIngest.LeaseQueue,
                $"{BillingIngest.UsageQueue}_error", $"{BillingIngest.UsageQueue}_skipped", $"{BillingIngest.LeaseQueue}_error", $"{BillingIngest.LeaseQueue}_skipped");
        }
    }
}
