using Marketplace.Events.V1;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

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

        var factory = new ConnectionFactory { Uri = _market.Servers.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        const string exchange = "marketplace.events.v1.UsageRecorded";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "");

        var siteId = Samples.UniqueId("meter-site");
        await provider.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) });
        var draft = Samples.Offer(siteId, count: 16);
        var start = NextHour(clock.GetUtcNow());
        draft.Availability = Samples.Hours(start, 0, 400);
        var offer = await provider.PublishOfferAsync(new PublishOfferRequest { Offer = draft });
        // Far enough ahead (two real seconds) that the racing clock has not passed it by the time the hold lands.
        var hold = await provider.HoldCapacityAsync(ProviderSteps.Hold(offer, units: 4, fromHour: 20, hours: 3, ttlSeconds: 3600));
        await provider.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = hold.Id, LeaseId = "lease-meter" });

        var events = new List<UsageRecorded>();
        await Eventually.TrueAsync(async () =>
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } delivery)
                if (UsageRecorded.Parser.ParseFrom(delivery.Body.Span) is { } usage && usage.HoldId == hold.Id)
                    events.Add(usage);
            return events.Count >= 3;
        }, "three metered hours", TimeSpan.FromSeconds(20));

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

    static DateTimeOffset NextHour(DateTimeOffset t) =>
        new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
}
