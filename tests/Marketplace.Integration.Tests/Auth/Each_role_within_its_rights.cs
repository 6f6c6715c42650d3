using Grpc.Core;
using Grpc.Net.Client;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Integration.Tests.Provider;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Auth;

// Every write of the contract is refused, PERMISSION_DENIED, to each caller with a good token of a real
// role who may not make it: a tenant, another provider or a service on a provider's listings; anyone but
// the platform on holds and vouchers; anyone but an operator on closing a billing period; a tenant on
// another tenant's quotes, leases and invoices. And the operator decision both ways: an operator writes
// any provider's sites and offers, as the provider does.
[Collection(MarketCollection.Name)]
public sealed class Each_role_within_its_rights(MarketFixture fixture)
{
    const decimal Band = 0.0043m, WrittenBand = 0.0044m; // no other test prices offers here
    readonly MarketUnderTest _market = fixture.Market;

    // What tenant A and provider P own, made by the fixture's operator.
    sealed record Owned(string TenantA, string TenantB, string ProviderP, string ProviderQ, DataCenter Site, Offer Offer,
        Quote Open, Lease Lease, string ProgramId, string InvoiceId, Hold Pending, string OutageId);

    // One caller who must be refused one RPC.
    sealed record Refusal(string Rpc, string Who, string Token, Func<Metadata, Task> Call);

    [Fact]
    public void Every_rpc_of_the_contract_is_known_as_a_read_or_a_write()
    {
        var contract = ContractRpcs.OnTheContract();
        var unclassified = contract.Where(rpc => !ContractRpcs.Reads.Contains(rpc) && !ContractRpcs.Writes.Contains(rpc)).ToList();
        var both = ContractRpcs.Reads.Intersect(ContractRpcs.Writes).ToList();
        var gone = ContractRpcs.Reads.Concat(ContractRpcs.Writes).Except(contract).ToList();

        Assert.True(unclassified.Count == 0, "not known as a read or a write (add to ContractRpcs): " + string.Join(", ", unclassified));
        Assert.True(both.Count == 0, "both a read and a write: " + string.Join(", ", both));
        Assert.True(gone.Count == 0, "classified but not on the contract: " + string.Join(", ", gone));
    }

    [Fact]
    public async Task Every_write_is_refused_to_each_caller_who_may_not_make_it()
    {
        var owned = await ArrangeAsync();
        using var provider = MarketUnderTest.ChannelAs(_market.Provider, null);
        using var broker = MarketUnderTest.ChannelAs(_market.Broker, null);
        using var billing = MarketUnderTest.ChannelAs(_market.Billing, null);
        var refusals = Refusals(owned, provider, broker, billing).ToList();

        var unguarded = ContractRpcs.Writes.Except(refusals.Select(r => r.Rpc)).ToList();
        Assert.True(unguarded.Count == 0, "writes with no caller checked to be refused (add them to Refusals): " + string.Join(", ", unguarded));
        var unknown = refusals.Select(r => r.Rpc).Except(ContractRpcs.OnTheContract()).ToList();
        Assert.True(unknown.Count == 0, "refusals of RPCs not on the contract: " + string.Join(", ", unknown));

        var failures = new List<string>();
        foreach (var refusal in refusals)
        {
            var status = await StatusOf(() => refusal.Call(new Metadata { { "Authorization", $"Bearer {refusal.Token}" } }));
            if (status.StatusCode != StatusCode.PermissionDenied)
                failures.Add($"{refusal.Rpc} by {refusal.Who}: {status.StatusCode} ({status.Detail})");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {refusals.Count} calls not refused:\n" + string.Join("\n", failures));

        await NothingChangedAsync(owned);
        await _market.ProviderClient.ReleaseHoldAsync(new ReleaseHoldRequest { HoldId = owned.Pending.Id });
    }

    [Theory]
    [InlineData(MarketRoles.Operator)]
    [InlineData(MarketRoles.Provider)]
    public async Task A_providers_sites_and_offers_are_written_by_the_provider_or_an_operator(string role)
    {
        var providerId = Samples.UniqueId("provider-w");
        using var channel = MarketUnderTest.ChannelAs(_market.Provider,
            Tokens.Valid(role, role == MarketRoles.Provider ? providerId : Samples.UniqueId("ops")));
        var writer = new ProviderService.ProviderServiceClient(channel);

        var site = await writer.RegisterDataCenterAsync(new RegisterDataCenterRequest
        {
            Datacenter = Samples.DataCenter(Samples.UniqueId("written-site"), provider: providerId),
        });
        var renamed = site.Clone();
        renamed.Name = $"Renamed by a {role}";
        var updated = await writer.UpdateDataCenterAsync(new UpdateDataCenterRequest { Datacenter = renamed });
        var offer = await writer.PublishOfferAsync(new PublishOfferRequest { Offer = Samples.Offer(site.Id, WrittenBand, 16) });
        var changed = await writer.ChangeOfferAsync(new ChangeOfferRequest { OfferId = offer.Id, Count = 8 });
        var withdrawn = await writer.WithdrawOfferAsync(new WithdrawOfferRequest { OfferId = offer.Id });

        Assert.Equal(providerId, site.ProviderId);
        Assert.Equal(renamed.Name, updated.Name);
        Assert.Equal(providerId, offer.ProviderId);
        Assert.Equal(8, changed.Offer.Count);
        Assert.Equal(OfferState.Withdrawn, withdrawn.Offer.State);
        // Stored, not only answered: read back by someone else.
        Assert.Equal(renamed.Name, (await _market.ProviderClient.GetDataCenterAsync(new GetDataCenterRequest { DatacenterId = site.Id })).Name);
        var stored = await _market.ProviderClient.GetOfferAsync(new GetOfferRequest { OfferId = offer.Id });
        Assert.Equal((OfferState.Withdrawn, 8), (stored.State, stored.Count));
    }

    async Task<Owned> ArrangeAsync()
    {
        var (a, b) = (Samples.UniqueId("tenant-a"), Samples.UniqueId("tenant-b"));
        var (p, q) = (Samples.UniqueId("provider-p"), Samples.UniqueId("provider-q"));
        var site = await _market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest
        {
            Datacenter = Samples.DataCenter(Samples.UniqueId("rights-site"), provider: p),
        });
        var offer = await _market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = Samples.Offer(site.Id, Band, 64) });
        var accepted = await _market.QuoteOnAsync(BrokerSteps.Batch(a, 4, 2, Band), offer);
        var lease = await _market.BrokerClient.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = accepted.Id, IdempotencyKey = Samples.UniqueId("k") });
        var open = await _market.QuoteOnAsync(BrokerSteps.Batch(a, 2, 1, Band), offer);
        var program = await _market.BillingClient.CreateVoucherProgramAsync(new CreateVoucherProgramRequest { Program = NewProgram("rights") });
        var invoice = (await _market.BillingClient.ListInvoicesAsync(new ListInvoicesRequest { TenantId = a })).Invoices[0];
        var pending = await _market.ProviderClient.HoldCapacityAsync(ProviderSteps.Hold(offer, 1, 0, 1));
        // An outage of a third provider's: P's site and offer stay as they are, and no caller below owns it.
        var down = await _market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest
            { Datacenter = Samples.DataCenter(Samples.UniqueId("down-site"), provider: Samples.UniqueId("provider-r")) });
        var outage = await _market.ProviderClient.ReportOutageAsync(new ReportOutageRequest { DatacenterId = down.Id, Reason = "cooling" });
        return new Owned(a, b, p, q, site, offer, open, lease, program.Id, invoice.Id, pending, outage.Id);
    }

    static IEnumerable<Refusal> Refusals(Owned o, GrpcChannel providerChannel, GrpcChannel brokerChannel, GrpcChannel billingChannel)
    {
        var provider = new ProviderService.ProviderServiceClient(providerChannel);
        var broker = new BrokerService.BrokerServiceClient(brokerChannel);
        var billing = new BillingService.BillingServiceClient(billingChannel);
        var (tenantA, tenantB) = (Tokens.Valid(MarketRoles.Tenant, o.TenantA), Tokens.Valid(MarketRoles.Tenant, o.TenantB));
        var (providerP, providerQ) = (Tokens.Valid(MarketRoles.Provider, o.ProviderP), Tokens.Valid(MarketRoles.Provider, o.ProviderQ));
        var service = Tokens.Valid(MarketRoles.Service, "broker");

        // A provider's sites and offers: the provider itself and operators only; not even the platform's services.
        foreach (var (who, token) in new[] { ("a tenant", tenantA), ("another provider", providerQ), ("a service", service) })
        {
            yield return new("ProviderService/RegisterDataCenter", who, token, h => provider.RegisterDataCenterAsync(
                new() { Datacenter = Samples.DataCenter(Samples.UniqueId("not-theirs"), provider: o.ProviderP) }, h).ResponseAsync);
            yield return new("ProviderService/UpdateDataCenter", who, token, h => provider.UpdateDataCenterAsync(
                new() { Datacenter = Renamed(o.Site, o.Site.ProviderId) }, h).ResponseAsync);
            yield return new("ProviderService/PublishOffer", who, token, h => provider.PublishOfferAsync(
                new() { Offer = Samples.Offer(o.Site.Id, Band, 8) }, h).ResponseAsync);
            yield return new("ProviderService/ChangeOffer", who, token, h => provider.ChangeOfferAsync(
                new() { OfferId = o.Offer.Id, Count = 1 }, h).ResponseAsync);
            yield return new("ProviderService/WithdrawOffer", who, token, h => provider.WithdrawOfferAsync(
                new() { OfferId = o.Offer.Id }, h).ResponseAsync);
            yield return new("ProviderService/ReportOutage", who, token, h => provider.ReportOutageAsync(
                new() { DatacenterId = o.Site.Id, Reason = "not theirs to report" }, h).ResponseAsync);
            yield return new("ProviderService/EndOutage", who, token, h => provider.EndOutageAsync(
                new() { OutageId = o.OutageId }, h).ResponseAsync);
        }
        // A site changes hands neither by its provider giving it away nor by another claiming it.
        yield return new("ProviderService/UpdateDataCenter", "its provider, giving it to another", providerP, h =>
            provider.UpdateDataCenterAsync(new() { Datacenter = Renamed(o.Site, o.ProviderQ) }, h).ResponseAsync);
        yield return new("ProviderService/UpdateDataCenter", "another provider, claiming it", providerQ, h =>
            provider.UpdateDataCenterAsync(new() { Datacenter = Renamed(o.Site, o.ProviderQ) }, h).ResponseAsync);
        yield return new("ProviderService/PublishOffer", "another provider, naming itself", providerQ, h =>
            provider.PublishOfferAsync(new() { Offer = OfferNaming(o.Site.Id, o.ProviderQ) }, h).ResponseAsync);

        // Holds are the platform's (the broker, operators): not the tenant's, not even the offer's own provider.
        foreach (var (who, token) in new[] { ("a tenant", tenantA), ("the offer's provider", providerP), ("another provider", providerQ) })
        {
            yield return new("ProviderService/HoldCapacity", who, token, h => provider.HoldCapacityAsync(
                ProviderSteps.Hold(o.Offer, 1, 0, 1), h).ResponseAsync);
            yield return new("ProviderService/ConfirmHold", who, token, h => provider.ConfirmHoldAsync(
                new() { HoldId = o.Pending.Id, LeaseId = "not-a-lease" }, h).ResponseAsync);
            yield return new("ProviderService/ReleaseHold", who, token, h => provider.ReleaseHoldAsync(
                new() { HoldId = o.Pending.Id }, h).ResponseAsync);
            yield return new("ProviderService/GetHold", who, token, h => provider.GetHoldAsync(
                new() { HoldId = o.Pending.Id }, h).ResponseAsync);
        }

        // A tenant's quotes, leases and invoices: the tenant's own (and the platform's).
        foreach (var (who, token) in new[] { ("another tenant", tenantB), ("a provider", providerP) })
        {
            yield return new("BrokerService/RequestQuote", who, token, h => broker.RequestQuoteAsync(
                BrokerSteps.Batch(o.TenantA, 2, 1, Band), h).ResponseAsync);
            yield return new("BrokerService/AcceptQuote", who, token, h => broker.AcceptQuoteAsync(
                new() { QuoteId = o.Open.Id, IdempotencyKey = Samples.UniqueId("k") }, h).ResponseAsync);
            yield return new("BrokerService/CancelLease", who, token, h => broker.CancelLeaseAsync(
                new() { LeaseId = o.Lease.Id, Reason = "not theirs" }, h).ResponseAsync);
            yield return new("BrokerService/GetQuote", who, token, h => broker.GetQuoteAsync(
                new() { QuoteId = o.Open.Id }, h).ResponseAsync);
            yield return new("BrokerService/GetLease", who, token, h => broker.GetLeaseAsync(
                new() { LeaseId = o.Lease.Id }, h).ResponseAsync);
            yield return new("BrokerService/ListLeases", who, token, h => broker.ListLeasesAsync(
                new() { TenantId = o.TenantA }, h).ResponseAsync);
            yield return new("BillingService/GetInvoice", who, token, h => billing.GetInvoiceAsync(
                new() { InvoiceId = o.InvoiceId }, h).ResponseAsync);
            yield return new("BillingService/ListInvoices", who, token, h => billing.ListInvoicesAsync(
                new() { TenantId = o.TenantA }, h).ResponseAsync);
        }

        // Voucher programs and grants are the operator's: a tenant may not grant itself one.
        foreach (var (who, token) in new[] { ("a tenant", tenantA), ("a provider", providerP), ("a service", service) })
        {
            yield return new("BillingService/CreateVoucherProgram", who, token, h => billing.CreateVoucherProgramAsync(
                new() { Program = NewProgram("refused") }, h).ResponseAsync);
            yield return new("BillingService/GrantVoucher", who, token, h => billing.GrantVoucherAsync(
                new() { ProgramId = o.ProgramId, TenantId = o.TenantA }, h).ResponseAsync);
        }

        // Closing a billing period early issues every tenant's invoice: the operator's alone, not a service's.
        foreach (var (who, token) in new[] { ("a tenant", tenantA), ("a provider", providerP), ("a service", service) })
            yield return new("BillingService/CloseBillingPeriod", who, token, h => billing.CloseBillingPeriodAsync(
                new(), h).ResponseAsync);
    }

    // Every refused call left what it aimed at as it was.
    async Task NothingChangedAsync(Owned o)
    {
        var sites = (await _market.ProviderClient.ListDataCentersAsync(new ListDataCentersRequest { ProviderId = o.ProviderP })).Datacenters;
        Assert.Equal(o.Site, Assert.Single(sites));
        Assert.Empty((await _market.ProviderClient.ListDataCentersAsync(new ListDataCentersRequest { ProviderId = o.ProviderQ })).Datacenters);
        var offers = (await _market.ProviderClient.GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest())).Offers
            .Where(offer => offer.Offer.DatacenterId == o.Site.Id).ToList();
        var offer = Assert.Single(offers).Offer;
        Assert.Equal((OfferState.Active, 64), (offer.State, offer.Count));
        Assert.Equal(HoldState.Held, (await _market.ProviderClient.GetHoldAsync(new GetHoldRequest { HoldId = o.Pending.Id })).State);
        var leases = (await _market.BrokerClient.ListLeasesAsync(new ListLeasesRequest { TenantId = o.TenantA })).Leases;
        Assert.Equal(LeaseState.Scheduled, Assert.Single(leases).State);
        var programs = (await _market.BillingClient.ListVoucherProgramsAsync(new ListVoucherProgramsRequest())).Programs;
        Assert.DoesNotContain(programs, program => program.Name == "refused");
    }

    static DataCenter Renamed(DataCenter site, string providerId)
    {
        var renamed = site.Clone();
        renamed.Name = "Renamed by a caller who may not";
        renamed.ProviderId = providerId;
        return renamed;
    }

    static Offer OfferNaming(string siteId, string providerId)
    {
        var offer = Samples.Offer(siteId, Band, 8);
        offer.ProviderId = providerId;
        return offer;
    }

    static VoucherProgram NewProgram(string name) => new()
    {
        Issuer = "issuer", Name = name, Budget = Common.V1.Money.FromDecimal(10, "CNY"),
        CapPerTenant = Common.V1.Money.FromDecimal(1, "CNY"), TenantCopayPercent = 50,
        ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)),
    };

    static async Task<Status> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }
}
