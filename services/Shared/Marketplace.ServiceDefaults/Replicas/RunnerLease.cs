using StackExchange.Redis;

namespace Marketplace.ServiceDefaults.Replicas;

// Work that must run once across all replicas (the lease clock, the meter, the sweepers, the recovery
// passes) runs where this lease is held: one Redis key per work, naming its holder, with a time to live the
// holder renews on every turn and while a turn lasts. A holder that dies stops renewing and a survivor takes
// the work within the time to live. A turn whose renewal finds another holder is cancelled. Every effect of
// the work stays idempotent by its event ids, so the rare overlap of a hand-over never bills twice.
public sealed class RunnerLease(IConnectionMultiplexer redis, string replica)
{
    public RunnerLease(IConnectionMultiplexer redis) : this(redis, ReplicaIdentity.Id)
    {
    }

    // Takes the key when free, renews it when ours: 1; another's: 0.
    const string TakeOrRenew = """
        local v = redis.call('GET', KEYS[1])
        if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
        if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
        return 0
        """;

    const string ReleaseIfOurs = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    public static string KeyOf(string work) => $"runner:{{{work}}}";

    // The replica that holds the work now, if any.
    public async Task<string?> HolderAsync(string work) => await redis.GetDatabase().StringGetAsync(KeyOf(work));

    // A turn at the work for this replica, or null while another holds it. The turn's token is cancelled if
    // the lease is lost while the turn runs.
    public async Task<Turn?> TryTakeAsync(string work, TimeSpan ttl, CancellationToken ct)
    {
        if (!await RenewAsync(work, ttl))
            return null;
        return new Turn(this, work, ttl, ct);
    }

    public Task ReleaseAsync(string work) =>
        redis.GetDatabase().ScriptEvaluateAsync(ReleaseIfOurs, [KeyOf(work)], [replica]);

    async Task<bool> RenewAsync(string work, TimeSpan ttl) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(TakeOrRenew, [KeyOf(work)],
            [replica, (long)ttl.TotalMilliseconds]) == 1;

    public sealed class Turn : IAsyncDisposable
    {
        readonly CancellationTokenSource _lost;
        readonly Task _keeping;

        internal Turn(RunnerLease lease, string work, TimeSpan ttl, CancellationToken ct)
        {
            _lost = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _keeping = KeepAsync(lease, work, ttl, _lost);
        }

        public CancellationToken Token => _lost.Token;

        // Renews a third of the way through the time to live while the turn runs; gives the turn up when
        // another holder has the key, or when Redis cannot say before the lease would have run out.
        static async Task KeepAsync(RunnerLease lease, string work, TimeSpan ttl, CancellationTokenSource lost)
        {
            var every = ttl / 3;
            var renewed = DateTimeOffset.UtcNow;
            while (!lost.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(every, lost.Token);
                    if (!await lease.RenewAsync(work, ttl))
                        break;
                    renewed = DateTimeOffset.UtcNow;
                }
                catch (OperationCanceledException) when (lost.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception) when (DateTimeOffset.UtcNow - renewed < ttl - every)
                {
                    // Redis away for a moment: try again while the lease still runs.
                }
                catch (Exception)
                {
                    break;
                }
            }
            await lost.CancelAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await _lost.CancelAsync();
            try { await _keeping; } catch (OperationCanceledException) { }
            _lost.Dispose();
        }
    }
}
