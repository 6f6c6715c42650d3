using Marketplace.Billing.V1;
using Marketplace.Common.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Billing;

// 算力券: a local government pays part of an SME's compute, within a cap per tenant and a budget.
[Collection(MarketCollection.Name)]
public sealed class Compute_vouchers(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;
    BillingService.BillingServiceClient Billing => _market.BillingClient;

    async Task<VoucherProgram> ProgramAsync(decimal budget, decimal capPerTenant, int copay = 40, int expiresAfterHours = 1000,
        params string[] regions) =>
        await Billing.CreateVoucherProgramAsync(new CreateVoucherProgramRequest
        {
            Program = new VoucherProgram
            {
                Issuer = "Guizhou Big Data Development Administration",
                Name = "SME compute voucher",
                Budget = Money.FromDecimal(budget, "CNY"),
                CapPerTenant = Money.FromDecimal(capPerTenant, "CNY"),
                TenantCopayPercent = copay,
                ExpiresAt = BillingSteps.At(BillingSteps.Hour0.AddHours(expiresAfterHours)),
                EligibleRegionIds = { regions },
            },
        });

    async Task<(string Tenant, Voucher Voucher)> GrantAsync(VoucherProgram program)
    {
        var tenant = Samples.UniqueId("tenant-voucher");
        return (tenant, await Billing.GrantVoucherAsync(new GrantVoucherRequest { ProgramId = program.Id, TenantId = tenant }));
    }

    async Task UseAsync(string tenant, string voucherId, int hours, string region = "guizhou", decimal price = 12.34m)
    {
        await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
        var lease = BillingSteps.Lease(tenant, price, voucherId, region);
        await bus.OpenAsync(lease);
        for (var hour = 0; hour < hours; hour++)
            await bus.PublishAsync(BillingSteps.Usage(lease, hour));
        var total = hours * 2 * price;
        await Eventually.TrueAsync(async () =>
            await Billing.BalanceAsync(AccountKind.Tenant, tenant) + await Fund(voucherId) >= total, $"{hours} hours of {tenant} posted");
    }

    async Task<decimal> Fund(string voucherId) => (await Billing.GetVoucherAsync(new GetVoucherRequest { VoucherId = voucherId })).Spent.ToDecimal();

    [Fact]
    public async Task Pay_all_but_the_tenants_co_pay()
    {
        var program = await ProgramAsync(budget: 1000, capPerTenant: 500, copay: 40);
        var (tenant, voucher) = await GrantAsync(program);

        await UseAsync(tenant, voucher.Id, hours: 1); // 2 x 12.34 = 24.68

        Assert.Equal(14.81m, await Fund(voucher.Id));                                       // 60%, to the fen
        Assert.Equal(24.68m - 14.81m, await Billing.BalanceAsync(AccountKind.Tenant, tenant));
        Assert.Equal(14.81m, await Billing.BalanceAsync(AccountKind.VoucherFund, program.Id));
    }

    [Fact]
    public async Task Never_pay_beyond_the_cap_per_tenant()
    {
        var program = await ProgramAsync(budget: 1000, capPerTenant: 30, copay: 40);
        var (tenant, voucher) = await GrantAsync(program);

        await UseAsync(tenant, voucher.Id, hours: 3); // 3 x 24.68 = 74.04; 60% would be 44.43

        Assert.Equal(30m, await Fund(voucher.Id));
        Assert.Equal(74.04m - 30m, await Billing.BalanceAsync(AccountKind.Tenant, tenant));
    }

    [Fact]
    public async Task Stop_paying_when_the_programs_budget_runs_out_mid_lease()
    {
        var program = await ProgramAsync(budget: 40, capPerTenant: 30, copay: 40);
        var (first, firstVoucher) = await GrantAsync(program);
        var (second, secondVoucher) = await GrantAsync(program);

        await UseAsync(first, firstVoucher.Id, hours: 3);   // takes its whole cap: 30
        await UseAsync(second, secondVoucher.Id, hours: 3); // only 10 of the budget is left

        Assert.Equal(10m, await Fund(secondVoucher.Id));
        Assert.Equal(40m, (await Billing.GetVoucherProgramAsync(new GetVoucherProgramRequest { ProgramId = program.Id })).Spent.ToDecimal());
        Assert.Equal(74.04m - 10m, await Billing.BalanceAsync(AccountKind.Tenant, second));
        var reconciliation = await Billing.GetVoucherReconciliationAsync(new GetVoucherReconciliationRequest { ProgramId = program.Id });
        Assert.Equal([30m, 10m], reconciliation.Spend.OrderByDescending(s => s.Amount.ToDecimal()).Select(s => s.Amount.ToDecimal()));
        Assert.All(reconciliation.Spend, s => Assert.Equal("test-provider", s.ProviderId));
    }

    [Fact]
    public async Task Pay_nothing_for_hours_after_the_expiry()
    {
        var program = await ProgramAsync(budget: 1000, capPerTenant: 500, copay: 40, expiresAfterHours: 2);
        var (tenant, voucher) = await GrantAsync(program);

        await UseAsync(tenant, voucher.Id, hours: 5); // hours 0 and 1 are before the expiry

        Assert.Equal(2 * 14.81m, await Fund(voucher.Id));
        Assert.Equal(5 * 24.68m - 2 * 14.81m, await Billing.BalanceAsync(AccountKind.Tenant, tenant));
    }

    [Fact]
    public async Task Pay_nothing_outside_the_eligible_regions()
    {
        var program = await ProgramAsync(budget: 1000, capPerTenant: 500, copay: 40, regions: ["guizhou"]);
        var (tenant, voucher) = await GrantAsync(program);

        await UseAsync(tenant, voucher.Id, hours: 2, region: "gansu");

        Assert.Equal(0m, await Fund(voucher.Id));
        Assert.Equal(2 * 24.68m, await Billing.BalanceAsync(AccountKind.Tenant, tenant));
    }

    [Fact]
    public async Task Show_in_a_quote_as_the_expected_subsidy()
    {
        var program = await ProgramAsync(budget: 1000, capPerTenant: 0.05m, copay: 50);
        var (tenant, voucher) = await GrantAsync(program);
        const decimal band = 0.0025m;
        var offer = await _market.OfferInBandAsync(band, count: 16);
        var request = BrokerSteps.Batch(tenant, accelerators: 8, hoursEach: 4, ceiling: band);
        request.VoucherId = voucher.Id;

        var quote = await _market.QuoteOnAsync(request, offer);

        Assert.Equal(0.04m, quote.Breakdown.VoucherSubsidy.ToDecimal()); // half of 8 x 4 x 0.0025 = 0.04, within the 0.05 cap
        Assert.Equal(quote.Breakdown.Compute.ToDecimal() - 0.04m, quote.Breakdown.Total.ToDecimal());
        request.TenantId = "someone-else";
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => _market.BrokerClient.RequestQuoteAsync(request).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, error.StatusCode);
    }

    [Theory]
    [InlineData("no issuer", "program.issuer")]
    [InlineData("a zero budget", "program.budget")]
    [InlineData("a co-pay over 100", "program.tenant_copay_percent")]
    [InlineData("an unknown region", "program.eligible_region_ids")]
    [InlineData("an expiry in the past", "program.expires_at")]
    public async Task Bad_programs_are_refused_naming_the_field(string fault, string field)
    {
        var program = new VoucherProgram
        {
            Issuer = "Issuer", Name = "Voucher", Budget = Money.FromDecimal(100, "CNY"), CapPerTenant = Money.FromDecimal(10, "CNY"),
            TenantCopayPercent = 50, ExpiresAt = BillingSteps.At(BillingSteps.Hour0),
        };
        switch (fault)
        {
            case "no issuer": program.Issuer = ""; break;
            case "a zero budget": program.Budget = Money.FromDecimal(0, "CNY"); break;
            case "a co-pay over 100": program.TenantCopayPercent = 120; break;
            case "an unknown region": program.EligibleRegionIds.Add("atlantis"); break;
            default: program.ExpiresAt = BillingSteps.At(DateTimeOffset.UtcNow.AddDays(-1)); break;
        }

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
            Billing.CreateVoucherProgramAsync(new CreateVoucherProgramRequest { Program = program }).ResponseAsync);

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(field, error.Trailers.GetValue("field"));
    }
}
