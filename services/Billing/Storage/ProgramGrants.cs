using System.Collections.Concurrent;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// What each shard of the ledger may spend of a voucher program's budget. The budget is shared by tenants
// in every shard, but a posting is one script on its own shard's slot: so each shard spends a slice
// granted to it from the program (grant.lua), and asks for more when a batch would go beyond it. The
// slices never sum to more than the budget, so no program pays beyond it; each grant is just what a
// batch needs, so no slice sits unspent while another shard is refused. A grant read here may be stale
// (another replica granted more since): ledger.lua then asks again, never pays less.
public sealed class ProgramGrants(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    static readonly string Script = EmbeddedLua.Read<ProgramGrants>("grant.lua");

    public readonly record struct Grant(long Fen, bool Exhausted);

    readonly ConcurrentDictionary<(int Shard, string Program), Grant> _known = new();

    IDatabase Db => redis.GetDatabase();

    public async Task<Grant> OfAsync(int shard, string programId)
    {
        if (_known.TryGetValue((shard, programId), out var known))
            return known;
        var fen = (long?)await Db.HashGetAsync(BillingKeys.Program(programId), BillingKeys.GrantField(shard)) ?? 0;
        return _known.AddOrUpdate((shard, programId), new Grant(fen, false), (_, had) => had.Fen >= fen ? had : new Grant(fen, false));
    }

    // Grants the shard up to `targetFen` of the program, as the budget allows.
    public async Task<Grant> RaiseAsync(int shard, string programId, long targetFen)
    {
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(Script, [BillingKeys.Program(programId)],
            [BillingKeys.GrantField(shard), targetFen]))!;
        await replicated.AfterAsync(BillingKeys.Program(programId));
        var grant = new Grant((long)reply[0], (long)reply[1] == 1);
        return _known.AddOrUpdate((shard, programId), grant, (_, had) => had.Fen > grant.Fen ? had : grant);
    }
}
