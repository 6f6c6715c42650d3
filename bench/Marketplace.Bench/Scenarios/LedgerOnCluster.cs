using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;

namespace Marketplace.Bench.Scenarios;

// What billing's ledger does as Redis shards are added: the same backlog drain as billing-ingest, with
// billing on one Redis (the baseline) and on a 6-node Redis Cluster (3 masters, a replica each), there
// both without and with waiting for the replica (Redis:WaitForReplicas=1, what a cluster deployment runs).
// The ledger keeps every key under one hash tag, so it lives on one master however many there are.
public sealed class LedgerOnCluster : IScenario
{
    const int Database = 6; // one Redis: billing-ingest uses 5

    public string Name => "ledger-cluster";
    public string Description =>
        "billing draining a backlog of --events UsageRecorded into the ledger on a 3-master Redis Cluster, without and with WAIT for a replica";
    public string Baseline => "the same drain with billing on one Redis, in the same rounds";

    public async Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct)
    {
        var servers = await context.ServersAsync(ct);
        var count = context.Options.Events;
        var timeout = TimeSpan.FromSeconds(Math.Max(120, count / 100.0));
        await MarketSettings.EmptyDatabaseAsync(servers, Database);
        await using var cluster = await RedisClusterProcess.StartAsync(ct);
        var single = MarketSettings.For(servers, Database, BillingIngest.Prefix);
        var sharded = MarketSettings.For(servers, Database, BillingIngest.Prefix, ("ConnectionStrings:Redis", cluster.ConnectionString));
        var waiting = MarketSettings.For(servers, Database, BillingIngest.Prefix, ("ConnectionStrings:Redis", cluster.ConnectionString),
            ("Redis:WaitForReplicas", "1"));
        await using var singleRedis = await ConnectionMultiplexer.ConnectAsync(MarketSettings.RedisFor(servers, Database));
        await using var clusterRedis = await ConnectionMultiplexer.ConnectAsync(cluster.ConnectionString);
        var publisher = new EventPublisher(servers.RabbitMqUri);
        var usage = new UsageEvents();

        try
        {
            // Each Redis hears of the lease first (its usage is parked until then), then drains a warm-up.
            foreach (var (settings, ledger) in new[] { (single, singleRedis.GetDatabase()), (waiting, clusterRedis.GetDatabase()) })
            {
                await using (var billing = await RunningService.StartAsync(Marketplace.Billing.Program.Build, settings, ct))
                {
                    await publisher.PublishAsync([usage.Created], ct);
                    await Eventually.TrueAsync(() => ledger.KeyExistsAsync($"billing:{{b}}:lease:{usage.Lease.Id}"),
                        $"billing to hear of lease {usage.Lease.Id}", TimeSpan.FromSeconds(30));
                }
                await BillingIngest.BillingAsync(servers, settings, publisher, usage, ledger, Math.Max(1, count / 4), timeout, ct);
            }

            var plain = new List<RoundResult>();
            var replicated = new List<RoundResult>();
            for (var round = 1; round <= context.Options.Rounds; round++)
            {
                Console.Error.WriteLine($"  round {round}/{context.Options.Rounds}: one Redis, the cluster, the cluster with WAIT; {count:N0} events each");
                var baseline = (await BillingIngest.BillingAsync(servers, single, publisher, usage, singleRedis.GetDatabase(), count, timeout, ct)).Drain;
                var onCluster = (await BillingIngest.BillingAsync(servers, sharded, publisher, usage, clusterRedis.GetDatabase(), count, timeout, ct)).Drain;
                var withWait = (await BillingIngest.BillingAsync(servers, waiting, publisher, usage, clusterRedis.GetDatabase(), count, timeout, ct)).Drain;
                plain.Add(new RoundResult(baseline.ToLoadResult(), onCluster.ToLoadResult()));
                replicated.Add(new RoundResult(baseline.ToLoadResult(), withWait.ToLoadResult()));
            }
            var shards = await cluster.MastersAsync(ct);
            return new ScenarioOutcome(
            [
                new ScenarioResult("billing on one Redis", "billing on the cluster", plain) { Unit = "events", Work = $"{shards.Count} masters" },
                new ScenarioResult("billing on one Redis", "billing on the cluster", replicated) { Unit = "events", Work = $"{shards.Count} masters, WAIT 1" },
            ])
            {
                Notes =
                [
                    $"backlog of {count:N0} UsageRecorded of one lease, drained as in billing-ingest; every node AOF with fsync always",
                    "the ledger's keys share the hash tag {b}: one master takes every posting, the others only the runner keys",
                    "WAIT 1: each ledger.lua batch waits until the master's replica has it, so a failover cannot take an acknowledged posting",
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
