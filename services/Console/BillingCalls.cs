using Grpc.Core;
using Marketplace.Billing.V1;

namespace Marketplace.Console;

// Billing's client, every call as the signed-in operator or tenant (CallsAs).
public sealed class BillingCalls(BillingService.BillingServiceClient client, ConsoleOptions options)
{
    public AsyncServerStreamingCall<BillingEvent> Watch(WatchBillingEventsRequest request, string token, CancellationToken ct) =>
        client.WatchBillingEvents(request, CallsAs.Stream(token, ct));

    public async Task<IReadOnlyList<VoucherProgram>> VoucherProgramsAsync(string token, CancellationToken ct) =>
        (await client.ListVoucherProgramsAsync(new ListVoucherProgramsRequest(), CallsAs.Unary(token, options, ct))).Programs;

    // The tenant's invoices of the open period: its running draft, and any issued in it.
    public async Task<IReadOnlyList<Invoice>> OpenInvoicesAsync(string tenantId, string token, CancellationToken ct) =>
        (await client.ListInvoicesAsync(new ListInvoicesRequest { TenantId = tenantId }, CallsAs.Unary(token, options, ct))).Invoices;
}
