using Google.Protobuf;
using Marketplace.Broker.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Broker.Storage;

// Leases, their tenants' indexes, and the schedule that starts and ends them.
//
//   broker:{k}:lease:{id}               hash  l: Lease (protobuf bytes), s: its state (for compare-and-set)
//   broker:{k}:tenant:{tenant}:leases   zset  lease ids by creation time (ms)
//   broker:{k}:leases:starting          zset  scheduled lease ids by window start (ms)
//   broker:{k}:leases:ending            zset  active lease ids by window end (ms)
public sealed class LeaseStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    public const string Starting = BrokerKeys.Tag + ":leases:starting", Ending = BrokerKeys.Tag + ":leases:ending";

    IDatabase Db => redis.GetDatabase();

    // A quote becomes at most one lease, named after it.
    public static string IdFor(string quoteId) => $"lease-{quoteId}";

    public static string Key(string id) => $"{BrokerKeys.Tag}:lease:{id}";
    public static string TenantIndex(string tenant) => $"{BrokerKeys.Tag}:tenant:{tenant}:leases";

    // Leases are created only by the accept's commit (AcceptStore), together with their LeaseCreated.

    // The token abandons the wait, not the read: Redis commands cannot be called back.
    public async Task<Lease?> GetAsync(string id, CancellationToken ct = default)
    {
        var bytes = await Db.HashGetAsync(Key(id), "l").WaitAsync(ct);
        return bytes.IsNull ? null : Lease.Parser.ParseFrom((byte[])bytes!);
    }

    // Saves `lease` only if its stored state is still `from`, with the event that tells of it in the
    // outbox: a cancel and the clock cannot both win, and neither can lose its event.
    public Task<bool> TransitionAsync(Lease lease, LeaseState from, string eventId, IMessage message, long nowMs) =>
        TransitionAsync(lease, from, [(eventId, message)], nowMs);

    // The same with every event the change makes (a move that also cancels). A lease still scheduled stays
    // on the starting schedule at its (maybe new) start; an active one on the ending schedule at its end.
    public async Task<bool> TransitionAsync(Lease lease, LeaseState from, IReadOnlyList<(string Id, IMessage Message)> events, long nowMs)
    {
        var tx = Db.CreateTransaction();
        foreach (var (eventId, message) in events)
            OutboxStore.Add(tx, eventId, message, nowMs);
        tx.AddCondition(Condition.HashEqual(Key(lease.Id), "s", from.ToString()));
        _ = tx.HashSetAsync(Key(lease.Id), [new("l", lease.ToByteArray()), new("s", lease.State.ToString())]);
        _ = lease.State == LeaseState.Active
            ? tx.SortedSetAddAsync(Ending, lease.Id, lease.Window.End.ToDateTimeOffset().ToUnixTimeMilliseconds())
            : tx.SortedSetRemoveAsync(Ending, lease.Id);
        _ = lease.State == LeaseState.Scheduled
            ? tx.SortedSetAddAsync(Starting, lease.Id, lease.Window.Start.ToDateTimeOffset().ToUnixTimeMilliseconds())
            : tx.SortedSetRemoveAsync(Starting, lease.Id);
        var saved = await tx.ExecuteAsync();
        await replicated.AfterAsync(Key(lease.Id));
        return saved;
    }

    // Every lease not yet ended or cancelled: those scheduled to start and those running.
    public async Task<IReadOnlyList<string>> LiveAsync() =>
        (await Task.WhenAll(Db.SortedSetRangeByRankAsync(Starting), Db.SortedSetRangeByRankAsync(Ending)))
        .SelectMany(ids => ids).Select(v => (string)v!).Distinct().ToList();

    public async Task<IReadOnlyList<Lease>> ListAsync(string tenantId, long offset, int count, CancellationToken ct = default)
    {
        var ids = await Db.SortedSetRangeByRankAsync(TenantIndex(tenantId), offset, offset + count - 1, Order.Descending).WaitAsync(ct);
        var leases = await Task.WhenAll(ids.Select(id => GetAsync(id!, ct)));
        return leases.OfType<Lease>().ToList();
    }

    public async Task<IReadOnlyList<string>> DueToStartAsync(long nowMs) =>
        (await Db.SortedSetRangeByScoreAsync(Starting, double.NegativeInfinity, nowMs, take: 500)).Select(v => (string)v!).ToList();

    public async Task<IReadOnlyList<string>> DueToEndAsync(long nowMs) =>
        (await Db.SortedSetRangeByScoreAsync(Ending, double.NegativeInfinity, nowMs, take: 500)).Select(v => (string)v!).ToList();

    public Task ForgetScheduleAsync(string id) =>
        Task.WhenAll(Db.SortedSetRemoveAsync(Starting, id), Db.SortedSetRemoveAsync(Ending, id));
}
