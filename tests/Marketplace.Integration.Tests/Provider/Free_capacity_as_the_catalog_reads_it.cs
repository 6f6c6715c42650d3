using Grpc.Core;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Provider;

// The catalog reads an offer's free capacity from an array the calendar keeps beside its counts. After
// any mix of holds, confirms, releases, expiries and resizes, the two must say the same in every slot.
[Collection(MarketCollection.Name)]
public sealed class Free_capacity_as_the_catalog_reads_it(MarketFixture fixture, ITestOutputHelper output)
{
    readonly ProviderService.ProviderServiceClient _provider = fixture.Market.ProviderClient;

    [Fact]
    public async Task Matches_the_calendar_in_every_slot_after_random_changes()
    {
        var seed = Faults.FaultSettings.NewSeed();
        output.WriteLine($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        var offer = await _provider.NewOfferAsync(count: 16, days: 2);
        var confirmed = new List<string>();

        for (var step = 0; step < 40; step++)
        {
            var roll = random.Next(10);
            try
            {
                if (roll < 5)
                {
                    var hold = await _provider.HoldCapacityAsync(ProviderSteps.Hold(offer, units: random.Next(1, 6),
                        fromHour: random.Next(0, 40), hours: random.Next(1, 8), ttlSeconds: roll == 0 ? 1 : 60));
                    if (roll >= 3)
                    {
                        await _provider.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = hold.Id, LeaseId = $"lease-{step}" });
                        confirmed.Add(hold.Id);
                    }
                    else if (roll == 2)
                        await _provider.ReleaseHoldAsync(new ReleaseHoldRequest { HoldId = hold.Id });
                }
                else if (roll < 7 && confirmed.Count > 0)
                {
                    var id = confirmed[random.Next(confirmed.Count)];
                    await _provider.ReleaseHoldAsync(new ReleaseHoldRequest { HoldId = id, Discard = random.Next(2) == 0 });
                    confirmed.Remove(id);
                }
                else if (roll < 9)
                    await _provider.ChangeOfferAsync(new ChangeOfferRequest { OfferId = offer.Id, Count = random.Next(4, 24) });
                else
                    await Task.Delay(1100); // lets the short holds expire
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                // not enough free: a refusal changes nothing
            }
        }

        var slots = await _provider.SlotsAsync(offer);
        var described = (await _provider.GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest()))
            .Offers.Single(o => o.Offer.Id == offer.Id);
        var fromRuns = described.Free.SelectMany(run => Enumerable.Range(0, run.Hours)
            .Select(h => (Start: run.Start.ToDateTimeOffset().AddHours(h), run.Free))).ToDictionary(s => s.Start, s => s.Free);
        Assert.Equal(slots.Count, fromRuns.Count);
        Assert.All(slots, slot => Assert.Equal(slot.Free, fromRuns[slot.Start.ToDateTimeOffset()]));
        Assert.Contains(slots, slot => slot.Free != slot.Published); // the changes left a mark
    }
}
