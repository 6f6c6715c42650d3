using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Billing.Domain;
using Marketplace.Billing.Ledger;
using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Grpc;

namespace Marketplace.Billing.Grpc;

// Billing's gRPC edge: check the caller, map, delegate, map back. Tenants see their own accounts,
// invoices and events; providers theirs; vouchers and the whole stream are the operator's.
public sealed class BillingGrpcService(LedgerStore ledger, VoucherDesk vouchers, InvoiceDesk invoices,
    BillingPeriodDesk billingPeriods, BillingEventDesk events) : BillingService.BillingServiceBase
{
    const int MaxPage = 500;

    public override async Task<Balance> GetBalance(GetBalanceRequest request, ServerCallContext context)
    {
        var account = MayRead(request.Account, context);
        var balance = new Balance { Account = request.Account };
        balance.Amounts.AddRange((await ledger.BalancesAsync(account)).Select(b => FenMoney.ToMoney(b.Fen, b.Currency)));
        return balance;
    }

    public override async Task<ListLedgerEntriesResponse> ListLedgerEntries(ListLedgerEntriesRequest request,
        ServerCallContext context)
    {
        var account = MayRead(request.Account, context);
        var page = Page.From(request.PageSize, request.PageToken, defaultSize: 100, MaxPage);
        var postings = await ledger.PostingsAsync(account, page.Offset, page.Size);
        var response = new ListLedgerEntriesResponse { NextPageToken = page.NextToken(postings.Count) };
        response.Entries.AddRange(postings.SelectMany(p => p.ToProto().Entries).Where(e => Accounts.Of(e.Account) == account));
        return response;
    }

    public override Task<VoucherProgram> CreateVoucherProgram(CreateVoucherProgramRequest request, ServerCallContext context)
    {
        context.Caller().MustBeOperator();
        return vouchers.CreateProgramAsync(request.Program ?? throw new InvalidFieldException("program", "is required"),
            context.CancellationToken);
    }

    public override Task<VoucherProgram> GetVoucherProgram(GetVoucherProgramRequest request, ServerCallContext context)
    {
        context.Caller().MustBeStaff();
        return vouchers.ProgramAsync(request.ProgramId, context.CancellationToken);
    }

    public override async Task<ListVoucherProgramsResponse> ListVoucherPrograms(ListVoucherProgramsRequest request,
        ServerCallContext context)
    {
        context.Caller().MustBeOperator();
        return new() { Programs = { await vouchers.ProgramsAsync(context.CancellationToken) } };
    }

    public override Task<Voucher> GrantVoucher(GrantVoucherRequest request, ServerCallContext context)
    {
        context.Caller().MustBeOperator();
        return vouchers.GrantAsync(request, context.CancellationToken);
    }

    public override async Task<Voucher> GetVoucher(GetVoucherRequest request, ServerCallContext context)
    {
        var voucher = await vouchers.VoucherAsync(request.VoucherId, context.CancellationToken);
        context.Caller().MustBeTenant(voucher.TenantId);
        return voucher;
    }

    public override Task<VoucherReconciliation> GetVoucherReconciliation(GetVoucherReconciliationRequest request,
        ServerCallContext context)
    {
        context.Caller().MustBeOperator();
        return vouchers.ReconcileAsync(request.ProgramId, context.CancellationToken);
    }

    public override async Task<Invoice> GetInvoice(GetInvoiceRequest request, ServerCallContext context)
    {
        var invoice = await invoices.InvoiceAsync(request.InvoiceId, context.CancellationToken);
        context.Caller().MustBeTenant(invoice.TenantId);
        return invoice;
    }

    public override async Task<ListInvoicesResponse> ListInvoices(ListInvoicesRequest request, ServerCallContext context)
    {
        context.Caller().MustBeTenant(request.TenantId);
        return new() { Invoices = { await invoices.InvoicesAsync(request.TenantId, request.Period, context.CancellationToken) } };
    }

    public override async Task<CloseBillingPeriodResponse> CloseBillingPeriod(CloseBillingPeriodRequest request,
        ServerCallContext context)
    {
        context.Caller().MustBeOperator();
        var (closedThrough, issued) = await billingPeriods.CloseNowAsync(context.CancellationToken);
        return new() { ClosedThrough = Timestamp.FromDateTimeOffset(closedThrough), Invoices = { issued } };
    }

    public override Task<ProviderStatement> GetProviderStatement(GetProviderStatementRequest request, ServerCallContext context)
    {
        context.Caller().MustBeProvider(request.ProviderId);
        return invoices.StatementAsync(request.ProviderId, request.Period, context.CancellationToken);
    }

    public override async Task WatchBillingEvents(WatchBillingEventsRequest request,
        IServerStreamWriter<BillingEvent> responseStream, ServerCallContext context)
    {
        request = Scoped(request, context.Caller());
        try
        {
            await events.WatchAsync(request, e => responseStream.WriteAsync(e, context.CancellationToken), context.CancellationToken);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // the watcher went away
        }
    }

    // Operators watch everything; a tenant or provider only its own events.
    static WatchBillingEventsRequest Scoped(WatchBillingEventsRequest request, Caller caller)
    {
        if (caller.IsOperator)
            return request;
        var scoped = request.Clone();
        switch (caller.Role)
        {
            case MarketRoles.Tenant when request.TenantId.Length == 0 || request.TenantId == caller.Subject:
                scoped.TenantId = caller.Subject;
                return scoped;
            case MarketRoles.Provider when request.ProviderId.Length == 0 || request.ProviderId == caller.Subject:
                scoped.ProviderId = caller.Subject;
                return scoped;
            default:
                throw new ForbiddenException($"a {caller.Role} may watch only its own billing events");
        }
    }

    // Tenants read their own account, providers their payable; the platform's and funds' are the operator's.
    static string MayRead(AccountRef? account, ServerCallContext context)
    {
        var name = Accounts.Of(account ?? throw new InvalidFieldException("account", "is required"));
        var caller = context.Caller();
        switch (account.Kind)
        {
            case AccountKind.Tenant: caller.MustBeTenant(account.OwnerId); break;
            case AccountKind.ProviderPayable: caller.MustBeProvider(account.OwnerId); break;
            default: caller.MustBeOperator(); break;
        }
        return name;
    }
}
