using Grpc.Core;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Provider;

[Collection(MarketCollection.Name)]
public sealed class Racing_holds(MarketFixture fixture)
{
    const int Rounds = 200, Racers = 50, Capacity = 12, Hours = 12;
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Never_oversell_a_slot_and_every_hold_that_fits_succeeds()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed); // printed on failure so a race can be replayed
        var provider = _market.ProviderClient;

        for (var round = 0; round < Rounds; round++)
        {
            var offer = await provider.NewOfferAsync(Capacity, days: 1, site: "race");
            var requests = Enumerable.Range(0, Racers).Select(_ =>
            {
                var hours = random.Next(1, 5);
                var request = ProviderSteps.Hold(offer, units: random.Next(1, 4), fromHour: random.Next(0, Hours - hours + 1), hours);
                return (request, confirm: random.Next(3) == 0);
            }).ToList();

            var outcomes = await Task.WhenAll(requests.Select(async r =>
            {
                var (request, confirm) = r;
                try
                {
                    var hold = await provider.HoldCapacityAsync(request);
                    if (confirm) // some are confirmed, so leased capacity races too
                        hold = await provider.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = hold.Id, LeaseId = "lease-" + hold.Id[^8..] });
                    return (request, granted: true);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    return (request, granted: false);
                }
            }));

            var slots = await provider.SlotsAsync(offer);
            var start = offer.Availability.Start.ToDateTimeOffset();
            for (var h = 0; h < slots.Count; h++)
            {
                var slot = slots[h];
                var granted = outcomes.Where(o => o.granted && Covers(o.request, start, h)).Sum(o => o.request.Units);
                Assert.True(slot.Held + slot.Leased <= slot.Published, $"seed {seed} round {round} hour {h}: oversold");
                Assert.Equal(granted, slot.Held + slot.Leased);
            }
            // Capacity only shrank during the round, so a refused hold must not fit in the final state either.
            foreach (var (request, _) in outcomes.Where(o => !o.granted))
                Assert.True(Enumerable.Range(0, Hours).Any(h => Covers(request, start, h) && slots[h].Free < request.Units),
                    $"seed {seed} round {round}: a hold that fits was refused");
        }
    }

    static bool Covers(HoldCapacityRequest request, DateTimeOffset start, int hour)
    {
        var slotStart = start.AddHours(hour);
        return request.Window.Start.ToDateTimeOffset() <= slotStart && slotStart < request.Window.End.ToDateTimeOffset();
    }
}
