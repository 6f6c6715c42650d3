using Google.Protobuf;
using Marketplace.Billing.Domain;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// Voucher programs and the vouchers granted from them. A program and a voucher's terms (protobuf) are
// kept outside the shards; what is spent is kept in fen in the tenant's shard, where ledger.lua checks and
// adds to it atomically: a voucher's spend in its tenant's shard, a program's as the sum over shards.
public sealed class VoucherStore(IConnectionMultiplexer redis, ReplicatedWrites replicated, LedgerShards shards)
{
    IDatabase Db => redis.GetDatabase();

    public async Task<bool> CreateProgramAsync(VoucherProgram program)
    {
        var tx = Db.CreateTransaction();
        tx.AddCondition(Condition.KeyNotExists(BillingKeys.Program(program.Id)));
        _ = tx.HashSetAsync(BillingKeys.Program(program.Id), [new("p", program.ToByteArray()), new("budget", program.Budget.ToFen())]);
        _ = tx.SetAddAsync(BillingKeys.Programs, program.Id);
        var done = await tx.ExecuteAsync();
        await replicated.AfterAsync(BillingKeys.Program(program.Id));
        return done;
    }

    public async Task<VoucherProgram?> ProgramAsync(string id)
    {
        var bytes = await Db.HashGetAsync(BillingKeys.Program(id), "p");
        if (bytes.IsNull)
            return null;
        var program = VoucherProgram.Parser.ParseFrom((byte[])bytes!);
        var spent = await Task.WhenAll(shards.All.Select(shard => Db.HashGetAsync(shard.ProgramSpend(id), "spent")));
        program.Spent = FenMoney.ToMoney(spent.Sum(s => (long?)s ?? 0), program.Budget.Currency);
        return program;
    }

    public async Task<IReadOnlyList<VoucherProgram>> ProgramsAsync()
    {
        var ids = await Db.SetMembersAsync(BillingKeys.Programs);
        var programs = await Task.WhenAll(ids.Select(id => ProgramAsync(id!)));
        return programs.OfType<VoucherProgram>().OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
    }

    // One voucher per tenant per program; granting again keeps the first. Its cap goes to the tenant's shard
    // before its terms are stored, so a voucher that can be read always has its cap where postings look.
    public async Task GrantAsync(Voucher voucher)
    {
        var spend = shards.Of(voucher.TenantId).Voucher(voucher.Id);
        var batch = Db.CreateBatch();
        var cap = batch.HashSetAsync(spend, "cap", voucher.Cap.ToFen(), When.NotExists);
        var spent = batch.HashSetAsync(spend, "spent", 0, When.NotExists);
        batch.Execute();
        await Task.WhenAll(cap, spent);
        await Db.HashSetAsync(BillingKeys.Voucher(voucher.Id), "v", voucher.ToByteArray(), When.NotExists);
        await replicated.AfterAsync(spend, BillingKeys.Voucher(voucher.Id));
    }

    public async Task<Voucher?> VoucherAsync(string id)
    {
        var bytes = await Db.HashGetAsync(BillingKeys.Voucher(id), "v");
        if (bytes.IsNull)
            return null;
        var voucher = Voucher.Parser.ParseFrom((byte[])bytes!);
        var fields = await Db.HashGetAsync(shards.Of(voucher.TenantId).Voucher(id), ["cap", "spent"]);
        if (!fields[0].IsNull)
            voucher.Cap = FenMoney.ToMoney((long)fields[0], voucher.Cap.Currency); // the first grant's cap
        voucher.Spent = FenMoney.ToMoney((long?)fields[1] ?? 0, voucher.Cap.Currency);
        return voucher;
    }

    // What the program paid, by tenant and provider, in fen.
    public async Task<IReadOnlyList<(string Tenant, string Provider, long Fen)>> SpendAsync(string programId) =>
        (await Task.WhenAll(shards.All.Select(shard => Db.HashGetAllAsync(shard.Spend(programId))))).SelectMany(s => s)
        .Select(e => ((string)e.Name!).Split('|') is [var tenant, var provider] ? (tenant, provider, (long)e.Value) : default)
        .OrderBy(s => s.tenant, StringComparer.Ordinal).ThenBy(s => s.provider, StringComparer.Ordinal)
        .ToList();
}
