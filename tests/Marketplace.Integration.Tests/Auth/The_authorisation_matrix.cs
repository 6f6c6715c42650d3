using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Auth;

// Every RPC x (no token, expired token, wrong signature, wrong role, someone else's resource) is refused
// with Unauthenticated or PermissionDenied: never OK, never Internal.
[Collection(MarketCollection.Name)]
public sealed class The_authorisation_matrix(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    // What tenant A and provider P own, made by an operator.
    sealed record Owned(string TenantA, string TenantB, string ProviderP, string ProviderQ, DataCenter Site, Offer Offer,
        Quote Quote, Lease Lease, Voucher Voucher, string ProgramId, string InvoiceId, string HoldId, string OutageId);

    // One RPC: how to call it, which real role is wrong for it, and who is "someone else".
    sealed record Rpc(string Name, Func<Metadata, Task> Call, string? WrongRole, string? Stranger);

    async Task<Owned> ArrangeAsync()
    {
        var (a, b) = (Samples.UniqueId("tenant-a"), Samples.UniqueId("tenant-b"));
        var (p, q) = (Samples.UniqueId("provider-p"), Samples.UniqueId("provider-q"));
        var site = await _market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest
        {
            Datacenter = Samples.DataCenter(Samples.UniqueId("auth-site"), provider: p),
        });
        var offer = await _market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = Samples.Offer(site.Id, 0.0041m, 64) });
        var quote = await _market.QuoteOnAsync(BrokerSteps.Batch(a, 4, 2, 0.0041m), offer);
        var lease = await _market.BrokerClient.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = Samples.UniqueId("k") });
        var program = await _market.BillingClient.CreateVoucherProgramAsync(new CreateVoucherProgramRequest
        {
            Program = new VoucherProgram
            {
                Issuer = "issuer", Name = "auth", Budget = Common.V1.Money.FromDecimal(10, "CNY"),
                CapPerTenant = Common.V1.Money.FromDecimal(1, "CNY"), TenantCopayPercent = 50,
                ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)),
            },
        });
        var voucher = await _market.BillingClient.GrantVoucherAsync(new GrantVoucherRequest { ProgramId = program.Id, TenantId = a });
        var invoice = (await _market.BillingClient.ListInvoicesAsync(new ListInvoicesRequest { TenantId = a })).Invoices[0];
        // An outage of P's, at a site of its own so the offer above stays up.
        var down = await _market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest
            { Datacenter = Samples.DataCenter(Samples.UniqueId("auth-down"), provider: p) });
        var outage = await _market.ProviderClient.ReportOutageAsync(new ReportOutageRequest { DatacenterId = down.Id, Reason = "cooling" });
        return new Owned(a, b, p, q, site, offer, quote, lease, voucher, program.Id, invoice.Id, lease.Allocations[0].HoldId, outage.Id);
    }

    IEnumerable<Rpc> Rpcs(Owned o)
    {
        var provider = new ProviderService.ProviderServiceClient(MarketUnderTest.ChannelAs(_market.Provider, null));
        var broker = new BrokerService.BrokerServiceClient(MarketUnderTest.ChannelAs(_market.Broker, null));
        var billing = new BillingService.BillingServiceClient(MarketUnderTest.ChannelAs(_market.Billing, null));
        var (t, pr, op) = (MarketRoles.Tenant, MarketRoles.Provider, MarketRoles.Operator);
        var tenantA = new AccountRef { Kind = AccountKind.Tenant, OwnerId = o.TenantA };
        var siteOfP = o.Site.Clone();

        // Provider
        yield return new("RegisterDataCenter", h => provider.RegisterDataCenterAsync(new() { Datacenter = siteOfP }, h).ResponseAsync, t, o.ProviderQ);
        yield return new("UpdateDataCenter", h => provider.UpdateDataCenterAsync(new() { Datacenter = siteOfP }, h).ResponseAsync, t, o.ProviderQ);
        yield return new("GetDataCenter", h => provider.GetDataCenterAsync(new() { DatacenterId = o.Site.Id }, h).ResponseAsync, null, null);
        yield return new("ListDataCenters", h => provider.ListDataCentersAsync(new(), h).ResponseAsync, null, null);
        yield return new("GetAccelerator", h => provider.GetAcceleratorAsync(new() { Model = "H20" }, h).ResponseAsync, null, null);
        yield return new("ListAccelerators", h => provider.ListAcceleratorsAsync(new(), h).ResponseAsync, null, null);
        yield return new("PublishOffer", h => provider.PublishOfferAsync(new() { Offer = Samples.Offer(o.Site.Id) }, h).ResponseAsync, t, o.ProviderQ);
        yield return new("ChangeOffer", h => provider.ChangeOfferAsync(new() { OfferId = o.Offer.Id, Count = 1 }, h).ResponseAsync, t, o.ProviderQ);
        yield return new("WithdrawOffer", h => provider.WithdrawOfferAsync(new() { OfferId = o.Offer.Id }, h).ResponseAsync, t, o.ProviderQ);
        yield return new("GetOffer", h => provider.GetOfferAsync(new() { OfferId = o.Offer.Id }, h).ResponseAsync, null, null);
        yield return new("GetCapacity", h => provider.GetCapacityAsync(new() { OfferId = o.Offer.Id }, h).ResponseAsync, t, o.ProviderQ);
        yield return new("GetCatalogSnapshot", h => provider.GetCatalogSnapshotAsync(new(), h).ResponseAsync, null, null);
        yield return new("HoldCapacity", h => provider.HoldCapacityAsync(Provider.ProviderSteps.Hold(o.Offer, 1, 0, 1), h).ResponseAsync, pr, null);
        yield return new("ConfirmHold", h => provider.ConfirmHoldAsync(new() { HoldId = o.HoldId, LeaseId = "x" }, h).ResponseAsync, pr, null);
        yield return new("ReleaseHold", h => provider.ReleaseHoldAsync(new() { HoldId = o.HoldId }, h).ResponseAsync, pr, null);
        yield return new("GetHold", h => provider.GetHoldAsync(new() { HoldId = o.HoldId }, h).ResponseAsync, t, null);
        yield return new("ReportOutage", h => provider.ReportOutageAsync(new() { DatacenterId = o.Site.Id, Reason = "x" }, h).ResponseAsync, t, o.ProviderQ);
        yield return new("EndOutage", h => provider.EndOutageAsync(new() { OutageId = o.OutageId }, h).ResponseAsync, t, o.ProviderQ);
        yield return new("ListOutages", h => provider.ListOutagesAsync(new(), h).ResponseAsync, null, null);

        // Broker
        yield return new("RequestQuote", h => broker.RequestQuoteAsync(BrokerSteps.Batch(o.TenantA, 4, 2, 0.0041m), h).ResponseAsync, pr, o.TenantB);
        yield return new("GetQuote", h => broker.GetQuoteAsync(new() { QuoteId = o.Quote.Id }, h).ResponseAsync, pr, o.TenantB);
        yield return new("AcceptQuote", h => broker.AcceptQuoteAsync(new() { QuoteId = o.Quote.Id, IdempotencyKey = "k" }, h).ResponseAsync, pr, o.TenantB);
        yield return new("GetLease", h => broker.GetLeaseAsync(new() { LeaseId = o.Lease.Id }, h).ResponseAsync, pr, o.TenantB);
        yield return new("ListLeases", h => broker.ListLeasesAsync(new() { TenantId = o.TenantA }, h).ResponseAsync, pr, o.TenantB);
        yield return new("ListLeaseMoves", h => broker.ListLeaseMovesAsync(new(), h).ResponseAsync, t, null);
        yield return new("CancelLease", h => broker.CancelLeaseAsync(new() { LeaseId = o.Lease.Id }, h).ResponseAsync, pr, o.TenantB);

        // Billing
        yield return new("GetBalance", h => billing.GetBalanceAsync(new() { Account = tenantA }, h).ResponseAsync, pr, o.TenantB);
        yield return new("ListLedgerEntries", h => billing.ListLedgerEntriesAsync(new() { Account = tenantA }, h).ResponseAsync, pr, o.TenantB);
        yield return new("CreateVoucherProgram", h => billing.CreateVoucherProgramAsync(new() { Program = new VoucherProgram() }, h).ResponseAsync, t, null);
        yield return new("GetVoucherProgram", h => billing.GetVoucherProgramAsync(new() { ProgramId = o.ProgramId }, h).ResponseAsync, t, null);
        yield return new("ListVoucherPrograms", h => billing.ListVoucherProgramsAsync(new(), h).ResponseAsync, t, null);
        yield return new("GrantVoucher", h => billing.GrantVoucherAsync(new() { ProgramId = o.ProgramId, TenantId = o.TenantA }, h).ResponseAsync, t, null);
        yield return new("GetVoucher", h => billing.GetVoucherAsync(new() { VoucherId = o.Voucher.Id }, h).ResponseAsync, pr, o.TenantB);
        yield return new("GetVoucherReconciliation", h => billing.GetVoucherReconciliationAsync(new() { ProgramId = o.ProgramId }, h).ResponseAsync, t, null);
        yield return new("GetInvoice", h => billing.GetInvoiceAsync(new() { InvoiceId = o.InvoiceId }, h).ResponseAsync, pr, o.TenantB);
        yield return new("ListInvoices", h => billing.ListInvoicesAsync(new() { TenantId = o.TenantA }, h).ResponseAsync, pr, o.TenantB);
        yield return new("CloseBillingPeriod", h => billing.CloseBillingPeriodAsync(new(), h).ResponseAsync, t, null);
        yield return new("GetProviderStatement", h => billing.GetProviderStatementAsync(new() { ProviderId = o.ProviderP }, h).ResponseAsync, t, o.ProviderQ);
        yield return new("WatchBillingEvents", h => FirstEvent(billing.WatchBillingEvents(new() { TenantId = o.TenantA }, h)), MarketRoles.Service, o.TenantB);
        _ = op;
    }

    static async Task FirstEvent(AsyncServerStreamingCall<BillingEvent> call)
    {
        using (call)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try { await call.ResponseStream.MoveNext(timeout.Token); }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled) { } // allowed and quiet: not a refusal
        }
    }

    [Fact]
    public async Task Refuses_every_rpc_without_a_good_token_of_the_right_owner()
    {
        var owned = await ArrangeAsync();
        var failures = new List<string>();
        var checkedCalls = 0;
        foreach (var rpc in Rpcs(owned))
        {
            var subjectRole = rpc.WrongRole == MarketRoles.Tenant || rpc.Stranger == owned.TenantB ? MarketRoles.Tenant : MarketRoles.Provider;
            var cases = new List<(string Case, string? Token, StatusCode[] Expected)>
            {
                ("no token", null, [StatusCode.Unauthenticated]),
                ("expired token", Tokens.Expired(MarketRoles.Operator, "ops"), [StatusCode.Unauthenticated]),
                ("wrong signature", Tokens.WrongSignature(MarketRoles.Operator, "ops"), [StatusCode.Unauthenticated]),
                ("unknown role", Tokens.UnknownRole("guest"), [StatusCode.PermissionDenied]),
            };
            if (rpc.WrongRole is { } role)
                cases.Add(("wrong role " + role, Tokens.Valid(role, role == MarketRoles.Provider ? owned.ProviderP : owned.TenantA), [StatusCode.PermissionDenied]));
            if (rpc.Stranger is { } stranger)
                cases.Add(("someone else's", Tokens.Valid(subjectRole, stranger), [StatusCode.PermissionDenied]));

            foreach (var (name, token, expected) in cases)
            {
                checkedCalls++;
                var headers = token is null ? new Metadata() : new Metadata { { "Authorization", $"Bearer {token}" } };
                var status = await StatusOf(() => rpc.Call(headers));
                if (!expected.Contains(status))
                    failures.Add($"{rpc.Name} with {name}: {status}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCalls} calls not refused:\n" + string.Join("\n", failures));
        Assert.True(checkedCalls > 150);
        // Nothing was changed by a refused call.
        Assert.Equal(LeaseState.Scheduled, (await _market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = owned.Lease.Id })).State);
        Assert.Equal(OfferState.Active, (await _market.ProviderClient.GetOfferAsync(new GetOfferRequest { OfferId = owned.Offer.Id })).State);
    }

    static async Task<StatusCode> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
