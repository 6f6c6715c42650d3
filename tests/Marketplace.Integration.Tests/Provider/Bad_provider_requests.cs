using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Provider;

[Collection(MarketCollection.Name)]
public sealed class Bad_provider_requests(MarketFixture fixture)
{
    readonly ProviderService.ProviderServiceClient _provider = fixture.Market.ProviderClient;

    public sealed record Case(string Name, string Field, Func<ProviderService.ProviderServiceClient, Offer, Task> Call)
    {
        public override string ToString() => Name;
    }

    static Task Cast<T>(AsyncUnaryCall<T> call) => call.ResponseAsync;

    static DataCenter Site(Action<DataCenter> change)
    {
        var dc = Samples.DataCenter(Samples.UniqueId("bad-site"));
        change(dc);
        return dc;
    }

    static Offer OfferAt(Offer existing, Action<Offer> change)
    {
        var offer = Samples.Offer(existing.DatacenterId);
        change(offer);
        return offer;
    }

    static Timestamp At(DateTimeOffset t) => Timestamp.FromDateTimeOffset(t);

    public static TheoryData<Case> Cases => new()
    {
        new("register without a body", "datacenter", (p, _) => Cast(p.RegisterDataCenterAsync(new RegisterDataCenterRequest()))),
        new("register an unknown hub", "datacenter.hub_id", (p, _) => Cast(p.RegisterDataCenterAsync(new() { Datacenter = Site(d => d.HubId = "atlantis") }))),
        new("register a hub its region is not in", "datacenter.hub_id", (p, _) => Cast(p.RegisterDataCenterAsync(new() { Datacenter = Site(d => d.HubId = "gansu") }))),
        new("register an unknown region", "datacenter.region_id", (p, _) => Cast(p.RegisterDataCenterAsync(new() { Datacenter = Site(d => d.RegionId = "mars") }))),
        new("register PUE below 1", "datacenter.pue", (p, _) => Cast(p.RegisterDataCenterAsync(new() { Datacenter = Site(d => d.Pue = 0.9) }))),
        new("register green share above 1", "datacenter.green_power_share", (p, _) => Cast(p.RegisterDataCenterAsync(new() { Datacenter = Site(d => d.GreenPowerShare = 1.2) }))),
        new("register green share below 0", "datacenter.green_power_share", (p, _) => Cast(p.RegisterDataCenterAsync(new() { Datacenter = Site(d => d.GreenPowerShare = -0.1) }))),
        new("register a negative electricity price", "datacenter.electricity_price_per_kwh", (p, _) => Cast(p.RegisterDataCenterAsync(new() { Datacenter = Site(d => d.ElectricityPricePerKwh = Money.FromDecimal(-0.3m, "CNY")) }))),
        new("register a negative transfer-out price", "datacenter.transfer_out_price_per_gb", (p, _) => Cast(p.RegisterDataCenterAsync(new() { Datacenter = Site(d => d.TransferOutPricePerGb = Money.FromDecimal(-1m, "CNY")) }))),
        new("register a price in no currency", "datacenter.transfer_in_price_per_gb", (p, _) => Cast(p.RegisterDataCenterAsync(new() { Datacenter = Site(d => d.TransferInPricePerGb = new Money { Units = 1 }) }))),
        new("register an id with spaces", "datacenter.id", (p, _) => Cast(p.RegisterDataCenterAsync(new() { Datacenter = Site(d => d.Id = "my site") }))),
        new("register latitude 91", "datacenter.latitude", (p, _) => Cast(p.RegisterDataCenterAsync(new() { Datacenter = Site(d => d.Latitude = 91) }))),
        new("get a data center with no id", "datacenter_id", (p, _) => Cast(p.GetDataCenterAsync(new GetDataCenterRequest()))),
        new("publish without a body", "offer", (p, _) => Cast(p.PublishOfferAsync(new PublishOfferRequest()))),
        new("publish an unknown accelerator", "offer.accelerator_model", (p, o) => Cast(p.PublishOfferAsync(new() { Offer = OfferAt(o, x => x.AcceleratorModel = "GeForce-256") }))),
        new("publish zero accelerators", "offer.count", (p, o) => Cast(p.PublishOfferAsync(new() { Offer = OfferAt(o, x => x.Count = 0) }))),
        new("publish a zero price", "offer.price_per_hour", (p, o) => Cast(p.PublishOfferAsync(new() { Offer = OfferAt(o, x => x.PricePerHour = Money.FromDecimal(0, "CNY")) }))),
        new("publish a window off the hour", "offer.availability.start", (p, o) => Cast(p.PublishOfferAsync(new() { Offer = OfferAt(o, x => x.Availability.Start = At(x.Availability.Start.ToDateTimeOffset().AddMinutes(30))) }))),
        new("publish a window ending before it starts", "offer.availability.end", (p, o) => Cast(p.PublishOfferAsync(new() { Offer = OfferAt(o, x => x.Availability.End = At(x.Availability.Start.ToDateTimeOffset().AddHours(-1))) }))),
        new("publish a minimum lease longer than the window", "offer.min_lease_hours", (p, o) => Cast(p.PublishOfferAsync(new() { Offer = OfferAt(o, x => x.MinLeaseHours = 10_000) }))),
        new("publish with no interconnect domain", "offer.interconnect_domain", (p, o) => Cast(p.PublishOfferAsync(new() { Offer = OfferAt(o, x => x.InterconnectDomain = "") }))),
        new("publish with a key that has spaces", "idempotency_key", (p, o) => Cast(p.PublishOfferAsync(new() { Offer = OfferAt(o, _ => { }), IdempotencyKey = "a b" }))),
        new("change to a negative count", "count", (p, o) => Cast(p.ChangeOfferAsync(new ChangeOfferRequest { OfferId = o.Id, Count = -5 }))),
        new("change nothing", "count", (p, o) => Cast(p.ChangeOfferAsync(new ChangeOfferRequest { OfferId = o.Id }))),
        new("change to a price in another currency", "price_per_hour.currency", (p, o) => Cast(p.ChangeOfferAsync(new ChangeOfferRequest { OfferId = o.Id, PricePerHour = Money.FromDecimal(1, "USD") }))),
        new("hold zero units", "units", (p, o) => Cast(p.HoldCapacityAsync(ProviderSteps.Hold(o, units: 0, fromHour: 0, hours: 1)))),
        new("hold with no TTL", "ttl", (p, o) => Cast(p.HoldCapacityAsync(Without(ProviderSteps.Hold(o, 1, 0, 1), h => h.Ttl = null)))),
        new("hold for two days", "ttl", (p, o) => Cast(p.HoldCapacityAsync(ProviderSteps.Hold(o, 1, 0, 1, ttlSeconds: 2 * 86400)))),
        new("hold outside the availability", "window", (p, o) => Cast(p.HoldCapacityAsync(ProviderSteps.Hold(o, 1, fromHour: 24 * 30, hours: 1)))),
        new("hold with no window", "window", (p, o) => Cast(p.HoldCapacityAsync(Without(ProviderSteps.Hold(o, 1, 0, 1), h => h.Window = null)))),
        new("hold into a lease id with spaces", "lease_id", (p, o) => Cast(p.HoldCapacityAsync(Without(ProviderSteps.Hold(o, 1, 0, 1), h => h.LeaseId = "a lease")))),
        new("hold with no offer id", "offer_id", (p, o) => Cast(p.HoldCapacityAsync(Without(ProviderSteps.Hold(o, 1, 0, 1), h => h.OfferId = "")))),
        new("confirm something that is no hold id", "hold_id", (p, _) => Cast(p.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = "nope", LeaseId = "l" }))),
        new("confirm with no lease id", "lease_id", (p, o) => Cast(p.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = o.Id + "~abc" }))),
        new("release something that is no hold id", "hold_id", (p, _) => Cast(p.ReleaseHoldAsync(new ReleaseHoldRequest { HoldId = "~" }))),
    };

    static HoldCapacityRequest Without(HoldCapacityRequest request, Action<HoldCapacityRequest> change)
    {
        change(request);
        return request;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Get_invalid_argument_naming_the_field(Case @case)
    {
        var offer = await _provider.NewOfferAsync(count: 4, site: "valid");

        var error = await Assert.ThrowsAsync<RpcException>(() => @case.Call(_provider, offer));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(@case.Field + ":", error.Status.Detail);
        Assert.Equal(@case.Field, error.Trailers.GetValue("field"));
    }

    [Fact]
    public async Task Unknown_ids_get_not_found()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            _provider.GetOfferAsync(new GetOfferRequest { OfferId = "no-such-offer" }).ResponseAsync);
        var missingHold = await Assert.ThrowsAsync<RpcException>(() =>
            _provider.GetHoldAsync(new GetHoldRequest { HoldId = "no-such-offer~0" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(StatusCode.NotFound, missingHold.StatusCode);
    }

    [Fact]
    public async Task Publishing_at_another_providers_site_is_permission_denied()
    {
        var offer = await _provider.NewOfferAsync(count: 4);
        var foreign = Samples.Offer(offer.DatacenterId);
        foreign.ProviderId = "someone-else";

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _provider.PublishOfferAsync(new PublishOfferRequest { Offer = foreign }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}
