using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.Broker.Domain;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Broker.Quoting;

// Asks billing, which owns vouchers, what a tenant's voucher will pay; the quote shows it as expected subsidy.
public sealed class VoucherLookup(BillingService.BillingServiceClient billing, BrokerOptions options)
{
    public async Task<VoucherTerms> TermsAsync(string voucherId, string tenantId, CancellationToken ct)
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
            return new VoucherTerms(voucher.Id, program.TenantCopayPercent, Math.Max(0, remaining),
                voucher.ExpiresAt.ToDateTimeOffset(), program.EligibleRegionIds.ToHashSet(),
                program.EligibleProviderIds.ToHashSet());
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.Unimplemented)
        {
            throw new InvalidFieldException("voucher_id", $"unknown voucher '{voucherId}'");
        }
    }
}
