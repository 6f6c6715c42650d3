using Grpc.Core;
using Marketplace.Billing.Domain;
using Marketplace.Billing.Ledger;
using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Billing.Grpc;

// Billing's gRPC edge: map, delegate, map back. Errors are mapped by the shared interceptor.
public sealed class BillingGrpcService(LedgerStore ledger, VoucherDesk vouchers, InvoiceDesk invoices,
    BillingEventFeed feed) : BillingService.BillingServiceBase
{
    const int MaxPage = 500;

    public override async Task<Balance> GetBalance(GetBalanceRequest request, ServerCallContext context)
    {
        var account = Accounts.Of(request.Account ?? throw new InvalidFieldException("account", "is required"));
        var balance = new Balance { Account = request.Account };
        balance.Amounts.AddRange((await ledger.BalancesAsync())
            .Where(b => b.Key.StartsWith(account + "|", StringComparison.Ordinal))
            .Select(b => Fen.ToMoney(b.Value, b.Key[(account.Length + 1)..])));
        return balance;
    }

    public override async Task<ListLedgerEntriesResponse> ListLedgerEntries(ListLedgerEntriesRequest request,
        ServerCallContext context)
    {
        var account = Accounts.Of(request.Account ?? throw new InvalidFieldException("account", "is required"));
        if (request.PageSize is < 0 or > MaxPage)
            throw new InvalidFieldException("page_size", $"must be within 0..{MaxPage}");
        long offset = 0;
        if (request.PageToken.Length > 0 && (!long.TryParse(request.PageToken, out offset) || offset < 0))
            throw new InvalidFieldException("page_token", "is not a token this service gave out");
        var size = request.PageSize == 0 ? 100 : request.PageSize;
        var postings = await ledger.PostingsAsync(account, offset, size);
        var response = new ListLedgerEntriesResponse { NextPageToken = postings.Count == size ? (offset + size).ToString() : "" };
        response.Entries.AddRange(postings.SelectMany(p => p.ToProto().Entries).Where(e => Accounts.Of(e.Account) == account));
        return response;
    }

    public override Task<VoucherProgram> CreateVoucherProgram(CreateVoucherProgramRequest request, ServerCallContext context) =>
        vouchers.CreateProgramAsync(request.Program ?? throw new InvalidFieldException("program", "is required"), context.CancellationToken);

    public override Task<VoucherProgram> GetVoucherProgram(GetVoucherProgramRequest request, ServerCallContext context) =>
        vouchers.ProgramAsync(request.ProgramId, context.CancellationToken);

    public override async Task<ListVoucherProgramsResponse> ListVoucherPrograms(ListVoucherProgramsRequest request,
        ServerCallContext context) =>
        new() { Programs = { await vouchers.ProgramsAsync(context.CancellationToken) } };

    public override Task<Voucher> GrantVoucher(GrantVoucherRequest request, ServerCallContext context) =>
        vouchers.GrantAsync(request, context.CancellationToken);

    public override Task<Voucher> GetVoucher(GetVoucherRequest request, ServerCallContext context) =>
        vouchers.VoucherAsync(request.VoucherId, context.CancellationToken);

    public override Task<VoucherReconciliation> GetVoucherReconciliation(GetVoucherReconciliationRequest request,
        ServerCallContext context) =>
        vouchers.ReconcileAsync(request.ProgramId, context.CancellationToken);

    public override Task<Invoice> GetInvoice(GetInvoiceRequest request, ServerCallContext context) =>
        invoices.InvoiceAsync(request.InvoiceId, context.CancellationToken);

    public override async Task<ListInvoicesResponse> ListInvoices(ListInvoicesRequest request, ServerCallContext context) =>
        new() { Invoices = { await invoices.InvoiceAsync(request.TenantId, request.Period, context.CancellationToken) } };

    public override Task<ProviderStatement> GetProviderStatement(GetProviderStatementRequest request, ServerCallContext context) =>
        invoices.StatementAsync(request.ProviderId, request.Period, context.CancellationToken);

    public override async Task WatchBillingEvents(WatchBillingEventsRequest request,
        IServerStreamWriter<BillingEvent> responseStream, ServerCallContext context)
    {
        try
        {
            await feed.WatchAsync(request, e => responseStream.WriteAsync(e, context.CancellationToken), context.CancellationToken);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // the watcher went away
        }
    }
}
