using System.Diagnostics;
using Grpc.Core;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Provider;

[Collection(MarketCollection.Name)]
public sealed class Holds_over_time(MarketFixture fixture)
{
    readonly ProviderService.ProviderServiceClient _provider = fixture.Market.ProviderClient;

    [Fact]
    public async Task An_unconfirmed_hold_gives_its_capacity_back_within_ttl_plus_one_sweep()
    {
        var offer = await _provider.NewOfferAsync(count: 8);
        var clock = Stopwatch.StartNew();
        var hold = await _provider.HoldCapacityAsync(ProviderSteps.Hold(offer, units: 8, fromHour: 0, hours: 2, ttlSeconds: 1));
        Assert.Equal(0, (await _provider.SlotsAsync(offer))[0].Free);

        // The sweeper, not a caller, must give it back: nothing touches this offer meanwhile.
        await Eventually.TrueAsync(async () =>
            (await _provider.GetHoldAsync(new GetHoldRequest { HoldId = hold.Id })).State == HoldState.Expired,
            "the hold to expire", TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(1),
            $"expired after {clock.Elapsed}, later than TTL + sweep interval (+1 s slack)");
        Assert.All((await _provider.SlotsAsync(offer)).Take(2), slot => Assert.Equal(8, slot.Free));

        var late = await Assert.ThrowsAsync<RpcException>(() =>
            _provider.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = hold.Id, LeaseId = "late" }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, late.StatusCode);
    }

    [Fact]
    public async Task A_confirmed_hold_never_expires()
    {
        var offer = await _provider.NewOfferAsync(count: 8);
        var hold = await _provider.HoldCapacityAsync(ProviderSteps.Hold(offer, units: 5, fromHour: 1, hours: 3, ttlSeconds: 1));
        await _provider.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = hold.Id, LeaseId = "lease-1" });

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Equal(HoldState.Confirmed, (await _provider.GetHoldAsync(new GetHoldRequest { HoldId = hold.Id })).State);
        var slots = await _provider.SlotsAsync(offer);
        Assert.Equal([0, 5, 5, 5, 0], slots.Take(5).Select(s => s.Leased));
        Assert.Equal([8, 3, 3, 3, 8], slots.Take(5).Select(s => s.Free));
    }

    [Fact]
    public async Task A_released_hold_gives_everything_back_and_releasing_again_changes_nothing()
    {
        var offer = await _provider.NewOfferAsync(count: 8);
        var hold = await _provider.HoldCapacityAsync(ProviderSteps.Hold(offer, units: 3, fromHour: 0, hours: 4));

        var released = await _provider.ReleaseHoldAsync(new ReleaseHoldRequest { HoldId = hold.Id });
        var again = await _provider.ReleaseHoldAsync(new ReleaseHoldRequest { HoldId = hold.Id });

        Assert.Equal(HoldState.Released, released.State);
        Assert.Equal(HoldState.Released, again.State);
        Assert.All(await _provider.SlotsAsync(offer), slot => Assert.Equal(8, slot.Free));
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_hold_and_a_different_request_is_refused()
    {
        var offer = await _provider.NewOfferAsync(count: 8);
        var request = ProviderSteps.Hold(offer, units: 2, fromHour: 0, hours: 2, key: Samples.UniqueId("key"));

        var holds = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _provider.HoldCapacityAsync(request).ResponseAsync));

        Assert.Single(holds.Select(h => h.Id).Distinct());
        Assert.Equal(6, (await _provider.SlotsAsync(offer))[0].Free);
        var other = request.Clone();
        other.Units = 3;
        var error = await Assert.ThrowsAsync<RpcException>(() => _provider.HoldCapacityAsync(other).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("idempotency_key", error.Status.Detail);
    }

    [Fact]
    public async Task Shrinking_or_withdrawing_an_offer_takes_only_free_capacity()
    {
        var offer = await _provider.NewOfferAsync(count: 10);
        var hold = await _provider.HoldCapacityAsync(ProviderSteps.Hold(offer, units: 6, fromHour: 0, hours: 2));
        await _provider.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = hold.Id, LeaseId = "lease-shrink" });
        await _provider.HoldCapacityAsync(ProviderSteps.Hold(offer, units: 1, fromHour: 1, hours: 2));

        var shrunk = await _provider.ChangeOfferAsync(new ChangeOfferRequest { OfferId = offer.Id, Count = 4 });
        var slots = await _provider.SlotsAsync(offer);

        Assert.Equal(6, shrunk.UnitsRemoved); // hour 3 onwards: 10 -> 4
        Assert.Equal([6, 7, 4, 4], slots.Take(4).Select(s => s.Published));
        Assert.Equal([0, 0, 3, 4], slots.Take(4).Select(s => s.Free));

        var withdrawn = await _provider.WithdrawOfferAsync(new WithdrawOfferRequest { OfferId = offer.Id });
        slots = await _provider.SlotsAsync(offer);
        Assert.Equal(OfferState.Withdrawn, withdrawn.Offer.State);
        Assert.Equal(4, withdrawn.UnitsRemoved);
        Assert.All(slots, s => Assert.Equal(0, s.Free));
        Assert.Equal([6, 7, 1, 0], slots.Take(4).Select(s => s.Held + s.Leased));
    }
}
