using Marketplace.Events.V1;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Integration.Tests.Provider;

[Collection(MarketCollection.Name)]
public sealed class The_usage_meter(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Publishes_one_usage_event_per_leased_accelerator_hour_on_an_accelerated_clock()
    {
        // A provider whose market hour lasts a tenth of a second, with a Redis database of its own so its
        // clock, racing ahead, meters only its own leases.
        await using var fast = await _market.StartProviderAsync(("MarketClock:Speed", "36000"),
            ("Provider:MeterInterval", "00:00:00.100"),
            ("ConnectionStrings:Redis", _market.Servers.RedisConnectionString + ",defaultDatabase=1"));
        var provider = new ProviderService.ProviderServiceClient(fast.Channel);
        var clock = fast.Services.GetRequiredService<TimeProvider>();

        await using var raw = await RawEvents.ListenAsync(_market.Servers.RabbitMqUri, UsageRecorded.Descriptor);

        var siteId = Samples.UniqueId("meter-site");
        await provider.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) });
        var draft = Samples.Offer(siteId, count: 16);
        var start = NextHour(clock.GetUtcNow());
        draft.Availability = Samples.Hours(start, 0, 400);
        var offer = await provider.PublishOfferAsync(new PublishOfferRequest { Offer = draft });
        // Far enough ahead (two real seconds) that the racing clock has not passed it by the time the hold lands.
        var hold = await provider.HoldCapacityAsync(ProviderSteps.Hold(offer, units: 4, fromHour: 20, hours: 3, ttlSeconds: 3600));
        await provider.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = hold.Id, LeaseId = "lease-meter" });

        var seen = await raw.UntilAsync(all => all.OfType<UsageRecorded>().Count(u => u.HoldId == hold.Id) >= 3,
            TimeSpan.FromSeconds(20));
        var events = seen.OfType<UsageRecorded>().Where(u => u.HoldId == hold.Id).ToList();

        Assert.Equal(3, events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(
            Enumerable.Range(20, 3).Select(h => start.AddHours(h)),
            events.Select(e => e.Interval.Start.ToDateTimeOffset()).Order());
        Assert.All(events, e =>
        {
            Assert.Equal("lease-meter", e.LeaseId);
            Assert.Equal(4 * 3600, e.AcceleratorSeconds);
            Assert.Equal(4 * 0.400 * 1.2, e.EnergyKwh, precision: 9); // 4 x H20 400 W x PUE 1.2 x 1 h
        });
    }

    [Fact]
    public async Task Reads_only_holds_with_hours_due_and_indexes_those_confirmed_before_its_index_existed()
    {
        await using var fast = await _market.StartProviderAsync(("MarketClock:Speed", "36000"),
            ("Provider:MeterInterval", "00:00:00.100"),
            ("ConnectionStrings:Redis", _market.Servers.RedisConnectionString + ",defaultDatabase=1"));
        var provider = new ProviderService.ProviderServiceClient(fast.Channel);
        var clock = fast.Services.GetRequiredService<TimeProvider>();
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(
            _market.Servers.RedisConnectionString + ",defaultDatabase=1");
        await using var raw = await RawEvents.ListenAsync(_market.Servers.RabbitMqUri, UsageRecorded.Descriptor);

        var siteId = Samples.UniqueId("index-site");
        await provider.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) });
        var draft = Samples.Offer(siteId, count: 16);
        draft.Availability = Samples.Hours(NextHour(clock.GetUtcNow()), 0, 400);
        var offer = await provider.PublishOfferAsync(new PublishOfferRequest { Offer = draft });
        var metering = (StackExchange.Redis.RedisKey)$"provider:{{o:{offer.Id}}}:metering";
        var meta = (StackExchange.Redis.RedisKey)$"provider:{{o:{offer.Id}}}:meta";

        var leased = await provider.HoldCapacityAsync(ProviderSteps.Hold(offer, units: 2, fromHour: 30, hours: 2, ttlSeconds: 3600));
        await provider.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = leased.Id, LeaseId = "lease-indexed" });
        var released = await provider.HoldCapacityAsync(ProviderSteps.Hold(offer, units: 2, fromHour: 30, hours: 2, ttlSeconds: 3600));
        await provider.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = released.Id, LeaseId = "lease-gone" });
        await provider.ReleaseHoldAsync(new ReleaseHoldRequest { HoldId = released.Id, Discard = true });
        // As the store was before the index: the confirmed hold is known only to the holds hash.
        await redis.GetDatabase().KeyDeleteAsync([metering, meta]);

        var seen = await raw.UntilAsync(all => all.OfType<UsageRecorded>().Count(u => u.HoldId == leased.Id) >= 2,
            TimeSpan.FromSeconds(20));

        Assert.Equal(2, seen.OfType<UsageRecorded>().Where(u => u.HoldId == leased.Id).Select(u => u.EventId).Distinct().Count());
        Assert.DoesNotContain(seen.OfType<UsageRecorded>(), u => u.HoldId == released.Id);
        // Fully metered, the hold has left the index: the meter's next tick reads nothing of it.
        await Eventually.TrueAsync(async () => await redis.GetDatabase().SortedSetLengthAsync(metering) == 0,
            "the metered hold to leave the index", TimeSpan.FromSeconds(5));
        Assert.True(await redis.GetDatabase().HashExistsAsync(meta, "metering"));
    }

    static DateTimeOffset NextHour(DateTimeOffset t) =>
        new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
}
