using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Broker.Storage;

// Runs accept.lua: who owns a quote's accept, the holds it takes, and the commit of the lease with its
// LeaseCreated in one atomic step.
//
//   broker:{k}:quote:{id}:accept      hash    the accept's owner, state and holds (accept.lua)
//   broker:{k}:accept-key:{key}       string  the quote an AcceptQuote idempotency key was used for
//   broker:{k}:accepts:pending        zset    quotes with an accept in progress, by start (ms)
public sealed class AcceptStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    static readonly string Script = EmbeddedLua.Read<AcceptStore>("accept.lua");
    static readonly TimeSpan Keep = TimeSpan.FromDays(2); // longer than any quote can be accepted
    const string Pending = BrokerKeys.Tag + ":accepts:pending";

    IDatabase Db => redis.GetDatabase();

    public abstract record Begin
    {
        public sealed record Begun : Begin;
        public sealed record Done(string LeaseId) : Begin;
        public sealed record Taken(bool Committed) : Begin;
        public sealed record KeyConflict : Begin;
        public sealed record Busy(string Attempt) : Begin;
        public sealed record Stale(string Attempt, string Key) : Begin;
        public sealed record Refused(string Why, string FreshQuoteId) : Begin;
    }

    // `holdIds`: every hold the attempt will take, recorded before it takes any, so whoever undoes it
    // can give them all back.
    public async Task<Begin> BeginAsync(string quoteId, string idempotencyKey, string attempt, IEnumerable<string> holdIds,
        TimeSpan staleAfter, long nowMs)
    {
        var r = await Run("begin", quoteId, nowMs, new Scope(Key: idempotencyKey), idempotencyKey, attempt,
            (long)staleAfter.TotalMilliseconds, (long)Keep.TotalSeconds, string.Join(',', holdIds));
        return (string)r[0]! switch
        {
            "begun" => new Begin.Begun(),
            "done" => new Begin.Done((string)r[1]!),
            "taken" => new Begin.Taken((string)r[1]! == "accepted"),
            "key-conflict" => new Begin.KeyConflict(),
            "busy" => new Begin.Busy((string)r[1]!),
            "stale" => new Begin.Stale((string)r[1]!, (string)r[3]!),
            "refused" => new Begin.Refused((string)r[1]!, (string)r[2]!),
            var other => throw new InvalidOperationException($"accept.lua answered '{other}'"),
        };
    }

    // From now on the attempt cannot commit; returns the holds it recorded, or null when it does not own the accept.
    public async Task<IReadOnlyList<string>?> UndoAsync(string quoteId, string attempt, long nowMs)
    {
        var r = await Run("undo", quoteId, nowMs, Scope.None, attempt);
        return (string)r[0]! == "ok" ? Split((string)r[1]!) : null;
    }

    // The undone attempt's holds are back and the market refused it: the key keeps that answer, another
    // key may try afresh.
    public async Task RefuseAsync(string quoteId, string attempt, string why, string freshQuoteId, long nowMs) =>
        await Run("refuse", quoteId, nowMs, Scope.None, attempt, why, freshQuoteId);

    // The undone attempt's holds are back: the quote can be accepted afresh, by this key or another.
    public async Task ForgetAsync(string quoteId, string idempotencyKey, string attempt, long nowMs) =>
        await Run("forget", quoteId, nowMs, new Scope(Key: idempotencyKey), attempt);

    // The lease, its tenant index and schedule, its LeaseCreated in the outbox and the accept's record, at
    // once; false when the attempt no longer owns the accept.
    public async Task<bool> CommitAsync(string attempt, string quoteId, Lease lease, string eventId, IMessage leaseCreated, long nowMs)
    {
        var r = await Run("commit", quoteId, nowMs, new Scope(Tenant: lease.TenantId), attempt, lease.Id, lease.ToByteArray(), lease.State.ToString(),
            lease.CreatedAt.ToDateTimeOffset().ToUnixTimeMilliseconds(), lease.Window.Start.ToDateTimeOffset().ToUnixTimeMilliseconds(),
            eventId, Any.Pack(leaseCreated).ToByteArray());
        return (string)r[0]! == "ok";
    }

    // Whether the quote's accept has committed: a lease was made of it.
    public async Task<bool> CommittedAsync(string quoteId, long nowMs) => (await GetAsync(quoteId, nowMs)).State == "committed";

    // Quotes whose accept began before `beforeMs` and is still pending or undone.
    // Whether any accept is in flight (begun, neither committed nor undone).
    public async Task<bool> AnyPendingAsync() => await Db.SortedSetLengthAsync(Pending) > 0;

    public async Task<IReadOnlyList<(string QuoteId, long SinceMs)>> PendingSinceAsync(long beforeMs, int take) =>
        (await Db.SortedSetRangeByScoreWithScoresAsync(Pending, double.NegativeInfinity, beforeMs, take: take))
        .Select(e => ((string)e.Element!, (long)e.Score)).ToList();

    // The accept's state ("" when none), its attempt and the idempotency key it is for.
    public async Task<(string State, string Attempt, string Key)> GetAsync(string quoteId, long nowMs)
    {
        var r = await Run("get", quoteId, nowMs, Scope.None);
        return ((string)r[0]!, (string)r[1]!, (string)r[4]!);
    }

    // The keys an operation touches beyond the quote's own: the idempotency key's binding, the tenant's index.
    sealed record Scope(string Key = "", string Tenant = "")
    {
        public static readonly Scope None = new();
    }

    async Task<RedisResult[]> Run(string op, string quoteId, long nowMs, Scope scope, params RedisValue[] args)
    {
        RedisKey[] keys =
        [
            $"{BrokerKeys.Tag}:quote:{quoteId}:accept", $"{BrokerKeys.Tag}:accept-key:{scope.Key}", Pending, LeaseStore.Key(LeaseStore.IdFor(quoteId)),
            LeaseStore.TenantIndex(scope.Tenant), LeaseStore.Starting, OutboxStore.Events, OutboxStore.Due,
        ];
        RedisValue[] values = [op, nowMs, quoteId, .. args];
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(Script, keys, values))!;
        if (op != "get")
            await replicated.AfterAsync(keys[0]);
        return reply;
    }

    static IReadOnlyList<string> Split(string holds) => holds.Length == 0 ? [] : holds.Split(',');
}
