using Grpc.Core;
using Marketplace.Provider.Catalog;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Provider.Grpc;

// The provider's gRPC edge: check the caller, map, delegate, map back. Errors are mapped by the shared
// interceptor. Providers act only on their own sites and offers; holds are the broker's (a service).
public sealed class ProviderGrpcService(DataCenterDesk datacenters, OfferDesk offers, HoldDesk holds, OutageDesk outages,
    CapacityPublisher capacity, MarketReference reference) : ProviderService.ProviderServiceBase
{
    public override Task<DataCenter> RegisterDataCenter(RegisterDataCenterRequest request, ServerCallContext context)
    {
        var datacenter = request.Datacenter ?? throw Missing("datacenter");
        context.Caller().MustWriteForProvider(datacenter.ProviderId);
        return datacenters.RegisterAsync(datacenter, context.CancellationToken);
    }

    public override async Task<DataCenter> UpdateDataCenter(UpdateDataCenterRequest request, ServerCallContext context)
    {
        var datacenter = request.Datacenter ?? throw Missing("datacenter");
        context.Caller().MustWriteForProvider((await datacenters.GetAsync(datacenter.Id, context.CancellationToken)).ProviderId);
        return await datacenters.UpdateAsync(datacenter, context.CancellationToken);
    }

    // A site as the market sees it, with its reliability now.
    public override async Task<DataCenter> GetDataCenter(GetDataCenterRequest request, ServerCallContext context) =>
        await capacity.WithReliabilityAsync(await datacenters.GetAsync(request.DatacenterId, context.CancellationToken));

    public override async Task<ListDataCentersResponse> ListDataCenters(ListDataCentersRequest request,
        ServerCallContext context) =>
        new() { Datacenters = { await Task.WhenAll((await datacenters.ListAsync(request.ProviderId, request.HubId, context.CancellationToken))
            .Select(capacity.WithReliabilityAsync)) } };

    public override Task<AcceleratorModel> GetAccelerator(GetAcceleratorRequest request, ServerCallContext context) =>
        Task.FromResult(reference.Accelerators.TryGetValue(request.Model, out var accelerator)
            ? accelerator.Shared()
            : throw new NotFoundException("accelerator", request.Model));

    public override Task<ListAcceleratorsResponse> ListAccelerators(ListAcceleratorsRequest request,
        ServerCallContext context) =>
        Task.FromResult(new ListAcceleratorsResponse
        {
            Accelerators = { reference.Accelerators.Values.OrderBy(a => a.Model).Select(a => a.ToProto()) },
        });

    public override async Task<Offer> PublishOffer(PublishOfferRequest request, ServerCallContext context)
    {
        var offer = request.Offer ?? throw Missing("offer");
        context.Caller().MustWriteForProvider((await datacenters.GetAsync(offer.DatacenterId, context.CancellationToken)).ProviderId);
        return await offers.PublishAsync(offer, request.IdempotencyKey, context.CancellationToken);
    }

    public override async Task<Offer> GetOffer(GetOfferRequest request, ServerCallContext context) =>
        OfferTerms.AsSeenBy(await offers.GetAsync(request.OfferId, context.CancellationToken), context.Caller());

    public override async Task<ChangeOfferResponse> ChangeOffer(ChangeOfferRequest request, ServerCallContext context)
    {
        await MustOwnOffer(request.OfferId, context);
        var (offer, removed) = await offers.ChangeAsync(request.OfferId, request.HasCount ? request.Count : null,
            request.PricePerHour, request.ReservePricePerHour, context.CancellationToken);
        return new ChangeOfferResponse { Offer = offer, UnitsRemoved = removed };
    }

    public override async Task<WithdrawOfferResponse> WithdrawOffer(WithdrawOfferRequest request, ServerCallContext context)
    {
        await MustOwnOffer(request.OfferId, context);
        var (offer, removed) = await offers.WithdrawAsync(request.OfferId, context.CancellationToken);
        return new WithdrawOfferResponse { Offer = offer, UnitsRemoved = removed };
    }

    public override async Task<CapacityCalendar> GetCapacity(GetCapacityRequest request, ServerCallContext context)
    {
        await MustOwnOffer(request.OfferId, context);
        return await offers.CalendarAsync(request.OfferId, request.Window, context.CancellationToken);
    }

    public override async Task<Outage> ReportOutage(ReportOutageRequest request, ServerCallContext context)
    {
        context.Caller().MustWriteForProvider((await datacenters.GetAsync(request.DatacenterId, context.CancellationToken)).ProviderId);
        return await outages.ReportAsync(request, context.CancellationToken);
    }

    public override async Task<Outage> EndOutage(EndOutageRequest request, ServerCallContext context)
    {
        context.Caller().MustWriteForProvider((await outages.GetAsync(request.OutageId)).ProviderId);
        return await outages.EndAsync(request.OutageId, request.EndedAt, context.CancellationToken);
    }

    // Outages are market facts: anyone signed in may read a site's record. A provider asking for none in
    // particular gets its own.
    public override async Task<ListOutagesResponse> ListOutages(ListOutagesRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var providerId = request.ProviderId.Length == 0 && request.DatacenterId.Length == 0 && caller.Role == MarketRoles.Provider
            ? caller.Subject
            : request.ProviderId;
        return new() { Outages = { await outages.ListAsync(request.DatacenterId, providerId, request.OpenOnly, context.CancellationToken) } };
    }

    public override Task<Hold> HoldCapacity(HoldCapacityRequest request, ServerCallContext context)
    {
        context.Caller().MustBeStaff();
        return holds.HoldAsync(request, context.CancellationToken);
    }

    public override Task<Hold> ConfirmHold(ConfirmHoldRequest request, ServerCallContext context)
    {
        context.Caller().MustBeStaff();
        return holds.ConfirmAsync(request.HoldId, request.LeaseId, context.CancellationToken);
    }

    public override Task<Hold> ReleaseHold(ReleaseHoldRequest request, ServerCallContext context)
    {
        context.Caller().MustBeStaff();
        return holds.ReleaseAsync(request.HoldId, request.Discard, context.CancellationToken, request.From?.ToDateTimeOffset());
    }

    public override Task<Hold> GetHold(GetHoldRequest request, ServerCallContext context)
    {
        context.Caller().MustBeStaff();
        return holds.GetAsync(request.HoldId, context.CancellationToken);
    }

    public override async Task<CatalogSnapshot> GetCatalogSnapshot(GetCatalogSnapshotRequest request,
        ServerCallContext context) =>
        OfferTerms.AsSeenBy(await offers.SnapshotAsync(context.CancellationToken), context.Caller());

    async Task MustOwnOffer(string offerId, ServerCallContext context) =>
        context.Caller().MustWriteForProvider((await offers.GetAsync(offerId, context.CancellationToken)).ProviderId);

    static InvalidFieldException Missing(string field) => new(field, "is required");
}
