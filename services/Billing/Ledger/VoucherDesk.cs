using Google.Protobuf.WellKnownTypes;
using Marketplace.Billing.Domain;
using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.Common.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;
using MassTransit;

namespace Marketplace.Billing.Ledger;

// Compute-voucher programs ("算力券") run by local governments, and the vouchers they grant tenants.
public sealed class VoucherDesk(VoucherStore store, MarketReference reference, BillingOptions options, TimeProvider clock)
{
    public async Task<VoucherProgram> CreateProgramAsync(VoucherProgram request, CancellationToken ct)
    {
        var program = request.Clone();
        if (program.Id.Length == 0)
            program.Id = $"vp-{Guid.NewGuid():N}"[..15];
        if (string.IsNullOrWhiteSpace(program.Issuer))
            throw new InvalidFieldException("program.issuer", "is required");
        if (string.IsNullOrWhiteSpace(program.Name))
            throw new InvalidFieldException("program.name", "is required");
        Positive(program.Budget, "program.budget");
        Positive(program.CapPerTenant, "program.cap_per_tenant");
        if (program.CapPerTenant.Currency != program.Budget.Currency)
            throw new InvalidFieldException("program.cap_per_tenant.currency", "must be the budget's currency");
        if (program.TenantCopayPercent is < 0 or > 100)
            throw new InvalidFieldException("program.tenant_copay_percent", "must be within 0..100");
        if (program.ExpiresAt is null || program.ExpiresAt.ToDateTimeOffset() <= clock.GetUtcNow())
            throw new InvalidFieldException("program.expires_at", "must be in the future");
        foreach (var region in program.EligibleRegionIds.Where(r => !reference.Regions.ContainsKey(r)))
            throw new InvalidFieldException("program.eligible_region_ids", $"unknown region '{region}'");
        program.Spent = Money.FromDecimal(0, program.Budget.Currency);
        program.CreatedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        if (!await store.CreateProgramAsync(program))
            throw new ConflictException($"voucher program '{program.Id}' exists");
        return program;
    }

    public async Task<VoucherProgram> ProgramAsync(string id, CancellationToken ct) =>
        await store.ProgramAsync(id) ?? throw new NotFoundException("voucher program", id);

    public Task<IReadOnlyList<VoucherProgram>> ProgramsAsync(CancellationToken ct) => store.ProgramsAsync();

    public async Task<Voucher> GrantAsync(GrantVoucherRequest request, CancellationToken ct)
    {
        var program = await ProgramAsync(request.ProgramId, ct);
        if (string.IsNullOrWhiteSpace(request.TenantId))
            throw new InvalidFieldException("tenant_id", "is required");
        var cap = request.Cap ?? program.CapPerTenant;
        if (Positive(cap, "cap") > program.CapPerTenant.ToDecimal())
            throw new InvalidFieldException("cap", $"must not exceed the program's cap per tenant {program.CapPerTenant.ToDecimal():0.00}");
        var voucher = new Voucher
        {
            Id = $"v-{program.Id}-{request.TenantId}",
            ProgramId = program.Id,
            TenantId = request.TenantId,
            Cap = cap,
            Spent = Money.FromDecimal(0, cap.Currency),
            ExpiresAt = program.ExpiresAt,
        };
        await store.GrantAsync(voucher);
        return (await store.VoucherAsync(voucher.Id))!;
    }

    public async Task<Voucher> VoucherAsync(string id, CancellationToken ct) =>
        await store.VoucherAsync(id) ?? throw new NotFoundException("voucher", id);

    public async Task<VoucherReconciliation> ReconcileAsync(string programId, CancellationToken ct)
    {
        var program = await ProgramAsync(programId, ct);
        var reconciliation = new VoucherReconciliation { Program = program };
        reconciliation.Spend.AddRange((await store.SpendAsync(programId)).Select(s => new VoucherSpend
        {
            TenantId = s.Tenant,
            ProviderId = s.Provider,
            Amount = FenMoney.ToMoney(s.Fen, program.Budget.Currency),
        }));
        return reconciliation;
    }

    decimal Positive(Money? money, string field)
    {
        if (money is null)
            throw new InvalidFieldException(field, "is required");
        if (money.Problem() is { } problem)
            throw new InvalidFieldException(field, problem);
        if (!options.Currencies.Contains(money.Currency))
            throw new InvalidFieldException($"{field}.currency", $"must be one of {string.Join(", ", options.Currencies)}");
        var amount = money.ToDecimal();
        return amount > 0 ? amount : throw new InvalidFieldException(field, "must be positive");
    }
}
