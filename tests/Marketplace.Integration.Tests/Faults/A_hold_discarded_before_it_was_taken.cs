using Grpc.Core;
using Marketplace.Integration.Tests.Provider;
using Marketplace.Provider.Domain;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Faults;

// An accept records the ids of its holds before it takes them, so an undo may discard a hold whose request
// is still on its way (a broker paused, then taken for dead). Whichever comes first, the capacity ends up
// back, the late request takes nothing, and asking again with the key takes nothing either.
[Collection(MarketCollection.Name)]
public sealed class A_hold_discarded_before_it_was_taken(MarketFixture fixture, ITestOutputHelper output)
{
    const int Keys = 60, Capacity = 1000, Hours = 6;
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Stays_given_back_whichever_of_the_hold_and_the_discard_comes_first()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var provider = _market.ProviderClient;
        var offer = await provider.NewOfferAsync(Capacity, days: 1, site: "discard-race");
        var races = Enumerable.Range(0, Keys).Select(i => (
            Request: WithLease(ProviderSteps.Hold(offer, units: random.Next(1, 9), fromHour: random.Next(0, Hours), hours: random.Next(1, 4),
                key: $"attempt-{seed}:{i}.0"), confirmed: random.Next(2) == 0),
            HoldFirst: random.Next(2) == 0, Lag: random.Next(0, 4))).ToList();

        var outcomes = await Task.WhenAll(races.Select(async race =>
        {
            var id = HoldIds.For(offer.Id, race.Request.IdempotencyKey);
            var discard = new ReleaseHoldRequest { HoldId = id, Discard = true };
            Task<StatusCode> hold = Status(() => provider.HoldCapacityAsync(race.Request).ResponseAsync);
            if (race.HoldFirst)
            {
                await Task.Delay(race.Lag);
                await provider.ReleaseHoldAsync(discard);
                return (race, held: await hold);
            }
            await provider.ReleaseHoldAsync(discard);
            await Task.Delay(race.Lag);
            return (race, held: await hold);
        }));

        foreach (var (race, held) in outcomes)
        {
            var why = $"seed {seed} key {race.Request.IdempotencyKey}";
            Assert.True(held is StatusCode.OK or StatusCode.AlreadyExists, $"{why}: the hold answered {held}");
            var hold = await provider.GetHoldAsync(new GetHoldRequest { HoldId = HoldIds.For(offer.Id, race.Request.IdempotencyKey) });
            Assert.Equal(HoldState.Released, hold.State);
            // The same key again takes nothing: it gets the released hold back, or is refused.
            var again = await Status(() => provider.HoldCapacityAsync(race.Request).ResponseAsync);
            Assert.True(again is StatusCode.OK or StatusCode.AlreadyExists, $"{why}: asking again answered {again}");
        }
        Assert.All(await provider.SlotsAsync(offer), slot => Assert.Equal(0, slot.Held + slot.Leased));
    }

    static HoldCapacityRequest WithLease(HoldCapacityRequest request, bool confirmed)
    {
        if (confirmed)
            request.LeaseId = "lease-" + request.IdempotencyKey.Replace(':', '-');
        return request;
    }

    static async Task<StatusCode> Status(Func<Task> call)
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
