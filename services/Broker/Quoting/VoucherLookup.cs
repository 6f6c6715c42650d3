using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.Pricing;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Broker.Quoting;

// Asks billing, which owns vouchers, what a tenant's voucher will pay; the quote shows it as expected subsidy.
public sealed class VoucherLookup(BillingService.BillingServiceClient billing, BrokerOptions options)
{
    public async Task<VoucherCover> TermsAsync(string voucherId, string tenantId, CancellationToken ct)
    {
        try
        {
            var deadline = DateTime.UtcNow + options.ProviderDeadline;
            var voucher = await billing.GetVoucherAsync(new GetVoucherRequest { VoucherId = voucherId },
                deadline: deadline, cancellationToken: ct);
            if (voucher.TenantId != tenantId)
                throw new ForbiddenException($"voucher '{voucherId}' belongs to another tenant");
            var program = await billing.GetVoucherProgramAsync(new GetVoucherProgramRequest { ProgramId = voucher.ProgramId },
                deadline: deadline, cancellationToken: ct);
            var remaining = Math.Min(voucher.Cap.ToDecimal() - voucher.Spent.ToDecimal(),
                program.Budget.ToDecimal() - program.Spent.ToDecimal());
            return VoucherCover.Of(program.TenantCopayPercent, voucher.ExpiresAt?.ToDateTimeOffset(),
                program.ExpiresAt?.ToDateTimeOffset(), program.EligibleRegionIds.ToHashSet(),
                program.EligibleProviderIds.ToHashSet(), Math.Max(0, Fen.Round(remaining)));
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.Unimplemented)
        {
            throw new InvalidFieldException("voucher_id", $"unknown voucher '{voucherId}'");
        }
    }
}
