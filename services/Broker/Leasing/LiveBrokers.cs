using Marketplace.Broker.Storage;
using Marketplace.ServiceDefaults.Replicas;
using StackExchange.Redis;

namespace Marketplace.Broker.Leasing;

// Which broker replicas are alive: each renews a key of its own (`broker:{k}:alive:<replica>`) every second,
// and the key lapses a few seconds after its replica dies. An accept attempt is named after the replica
// running it (AttemptFor), so an attempt whose replica is gone can be undone at once, by the recovery
// pass or by the tenant's retry through another replica, rather than after Broker:AcceptStaleAfter. The
// accept protocol keeps that safe even when a live replica is taken for dead (a pause longer than the
// lapse): an undone attempt can never commit, and its caller retries.
public sealed class LiveBrokers(IConnectionMultiplexer redis, ILogger<LiveBrokers> logger) : BackgroundService
{
    static readonly TimeSpan Beat = TimeSpan.FromSeconds(1), Lapse = TimeSpan.FromSeconds(5);
    const char Separator = ':';

    static RedisKey KeyOf(string replica) => $"{BrokerKeys.Tag}:alive:{replica}";

    // A new attempt id, naming this replica.
    public static string AttemptFor() => $"{ReplicaIdentity.Id}{Separator}{Guid.NewGuid():N}";

    // True only when the attempt names a replica whose key has lapsed; attempts of older brokers name none.
    public async Task<bool> IsGoneAsync(string attempt) =>
        attempt.IndexOf(Separator) is > 0 and var at && !await redis.GetDatabase().KeyExistsAsync(KeyOf(attempt[..at]));

    // The first beat before the broker serves, so its first accept already names a live replica.
    public override async Task StartAsync(CancellationToken ct)
    {
        try
        {
            await BeatAsync();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("This broker could not say it is alive yet: {Reason}", e.Message);
        }
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Beat);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                await BeatAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogWarning("This broker could not say it is alive: {Reason}", e.Message);
            }
        }
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        await base.StopAsync(ct);
        try { await redis.GetDatabase().KeyDeleteAsync(KeyOf(ReplicaIdentity.Id)); }
        catch (Exception e) when (e is RedisException or TimeoutException) { } // it lapses on its own
    }

    Task BeatAsync() => redis.GetDatabase().StringSetAsync(KeyOf(ReplicaIdentity.Id), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Lapse);
}
