using Google.Protobuf;
using Marketplace.Billing.Domain;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// Voucher programs and the vouchers granted from them. Spend is kept in fen beside the protobuf,
// where ledger.lua can check and add to it atomically.
public sealed class VoucherStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    IDatabase Db => redis.GetDatabase();

    public async Task<bool> CreateProgramAsync(VoucherProgram program)
    {
        var tx = Db.CreateTransaction();
        tx.AddCondition(Condition.KeyNotExists(BillingKeys.Program(program.Id)));
        _ = tx.HashSetAsync(BillingKeys.Program(program.Id),
            [new("p", program.ToByteArray()), new("budget", program.Budget.ToFen()), new("spent", 0)]);
        _ = tx.SetAddAsync(BillingKeys.Programs, program.Id);
        var done = await tx.ExecuteAsync();
        await replicated.AfterAsync(BillingKeys.Program(program.Id));
        return done;
    }

    public async Task<VoucherProgram?> ProgramAsync(string id)
    {
        var fields = await Db.HashGetAsync(BillingKeys.Program(id), ["p", "spent"]);
        if (fields[0].IsNull)
            return null;
        var program = VoucherProgram.Parser.ParseFrom((byte[])fields[0]!);
        program.Spent = FenMoney.ToMoney((long)fields[1], program.Budget.Currency);
        return program;
    }

    public async Task<IReadOnlyList<VoucherProgram>> ProgramsAsync()
    {
        var ids = await Db.SetMembersAsync(BillingKeys.Programs);
        var programs = await Task.WhenAll(ids.Select(id => ProgramAsync(id!)));
        return programs.OfType<VoucherProgram>().OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
    }

    // One voucher per tenant per program; granting again returns the first.
    public async Task<bool> GrantAsync(Voucher voucher)
    {
        var tx = Db.CreateTransaction();
        tx.AddCondition(Condition.KeyNotExists(BillingKeys.Voucher(voucher.Id)));
        _ = tx.HashSetAsync(BillingKeys.Voucher(voucher.Id),
            [new("v", voucher.ToByteArray()), new("cap", voucher.Cap.ToFen()), new("spent", 0)]);
        var done = await tx.ExecuteAsync();
        await replicated.AfterAsync(BillingKeys.Voucher(voucher.Id));
        return done;
    }

    public async Task<Voucher?> VoucherAsync(string id)
    {
        var fields = await Db.HashGetAsync(BillingKeys.Voucher(id), ["v", "spent"]);
        if (fields[0].IsNull)
            return null;
        var voucher = Voucher.Parser.ParseFrom((byte[])fields[0]!);
        voucher.Spent = FenMoney.ToMoney((long)fields[1], voucher.Cap.Currency);
        return voucher;
    }

    // What the program paid, by tenant and provider, in fen.
    public async Task<IReadOnlyList<(string Tenant, string Provider, long Fen)>> SpendAsync(string programId) =>
        (await Db.HashGetAllAsync(BillingKeys.Spend(programId)))
        .Select(e => ((string)e.Name!).Split('|') is [var tenant, var provider] ? (tenant, provider, (long)e.Value) : default)
        .OrderBy(s => s.tenant, StringComparer.Ordinal).ThenBy(s => s.provider, StringComparer.Ordinal)
        .ToList();
}
