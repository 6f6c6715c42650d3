using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Marketplace.Integration.Tests.Broker;

[Collection(MarketCollection.Name)]
public sealed class A_lease_on_an_accelerated_clock(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Is_created_started_metered_and_ended_with_one_event_each()
    {
        // A provider and broker sharing one market clock (an hour a second) and a Redis database of their own.
        var anchor = DateTimeOffset.UtcNow.ToString("O");
        (string, string?)[] clock = [("MarketClock:Speed", "3600"), ("MarketClock:Anchor", anchor),
            ("ConnectionStrings:Redis", _market.Servers.RedisConnectionString + ",defaultDatabase=2")];
        await using var provider = await _market.StartProviderAsync([.. clock, ("Provider:MeterInterval", "00:00:00.100")]);
        var providerClient = new ProviderService.ProviderServiceClient(provider.Channel);
        var now = provider.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        var siteId = Samples.UniqueId("fast-site");
        await providerClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) });
        var draft = Samples.Offer(siteId, pricePerHour: 0.0031m, count: 8);
        var opens = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(4);
        draft.Availability = Samples.Hours(opens, 0, 400);
        var offer = await providerClient.PublishOfferAsync(new PublishOfferRequest { Offer = draft });

        await using var broker = await _market.StartBrokerAsync([.. clock, ("Broker:ProviderAddress", provider.Address.ToString()),
            ("Broker:LeaseTickInterval", "00:00:00.100")]);
        var brokerClient = new BrokerService.BrokerServiceClient(broker.Channel);

        await using var events = await RawEvents.ListenAsync(_market.Servers.RabbitMqUri,
            LeaseCreated.Descriptor, LeaseStarted.Descriptor, LeaseEnded.Descriptor, UsageRecorded.Descriptor);

        var marketNow = broker.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var request = BrokerSteps.Batch("tenant-fast", accelerators: 4, hoursEach: 2, ceiling: 0.0031m);
        request.Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(marketNow), End = Timestamp.FromDateTimeOffset(marketNow.AddDays(2)) };
        var quote = await _market.QuoteOnAsyncWith(brokerClient, request, offer);
        var lease = await brokerClient.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = Samples.UniqueId("k") });

        var seen = await events.UntilAsync(all =>
            all.OfType<LeaseEnded>().Any(e => e.Lease.Id == lease.Id)
            && all.OfType<UsageRecorded>().Count(u => u.LeaseId == lease.Id) >= 2, TimeSpan.FromSeconds(30));

        Assert.Single(seen.OfType<LeaseCreated>(), e => e.Lease.Id == lease.Id);
        var started = Assert.Single(seen.OfType<LeaseStarted>(), e => e.Lease.Id == lease.Id);
        var ended = Assert.Single(seen.OfType<LeaseEnded>(), e => e.Lease.Id == lease.Id);
        Assert.Equal(lease.Window.Start, started.Lease.StartedAt);
        Assert.Equal(LeaseState.Ended, ended.Lease.State);
        var usage = seen.OfType<UsageRecorded>().Where(u => u.LeaseId == lease.Id).ToList();
        Assert.Equal(2, usage.Count);
        Assert.All(usage, u => Assert.Equal(4 * 3600, u.AcceleratorSeconds));
        Assert.Equal(LeaseState.Ended, (await brokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.Id })).State);
    }

    [Fact]
    public async Task Is_not_made_from_a_quote_whose_first_hour_has_passed()
    {
        // An hour a second: the quote lives 10 minutes of wall-clock time, its first hour passes in one second.
        var anchor = DateTimeOffset.UtcNow.ToString("O");
        (string, string?)[] clock = [("MarketClock:Speed", "3600"), ("MarketClock:Anchor", anchor),
            ("ConnectionStrings:Redis", _market.Servers.RedisConnectionString + ",defaultDatabase=2")];
        await using var provider = await _market.StartProviderAsync(clock);
        var providerClient = new ProviderService.ProviderServiceClient(provider.Channel);
        var now = provider.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var siteId = Samples.UniqueId("late-site");
        await providerClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(siteId) });
        var draft = Samples.Offer(siteId, pricePerHour: 0.0029m, count: 8);
        draft.Availability = Samples.Hours(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero), 0, 400);
        var offer = await providerClient.PublishOfferAsync(new PublishOfferRequest { Offer = draft });
        await using var broker = await _market.StartBrokerAsync([.. clock, ("Broker:ProviderAddress", provider.Address.ToString())]);
        var brokerClient = new BrokerService.BrokerServiceClient(broker.Channel);
        var marketClock = broker.Services.GetRequiredService<TimeProvider>();

        var request = BrokerSteps.Batch("tenant-late", accelerators: 2, hoursEach: 2, ceiling: 0.0029m);
        request.Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(marketClock.GetUtcNow()),
            End = Timestamp.FromDateTimeOffset(marketClock.GetUtcNow().AddDays(2)) };
        var quote = await _market.QuoteOnAsyncWith(brokerClient, request, offer);
        while (marketClock.GetUtcNow() < quote.Window.Start.ToDateTimeOffset().AddHours(1.5))
            await Task.Delay(100);

        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => brokerClient.AcceptQuoteAsync(
            new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = Samples.UniqueId("k") }).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("has passed", refused.Status.Detail);
    }
}
