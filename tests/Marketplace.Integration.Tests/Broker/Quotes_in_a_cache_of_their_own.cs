using Grpc.Core;
using Grpc.Health.V1;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Integration.Tests.Provider;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Marketplace.Integration.Tests.Broker;

// A broker whose quotes live in a Redis of their own, without AOF (ConnectionStrings:QuoteCache): the
// quotes are there and not in the market's Redis, and what an accept commits is in the market's Redis
// alone. So a cache that comes back empty, or is away, loses only quotes nobody accepted: a retry of an
// accept still gets its lease, a lost quote is "not found" (asked for again), none is oversold.
[Collection(MarketCollection.Name)]
public sealed class Quotes_in_a_cache_of_their_own(MarketFixture fixture) : IAsyncLifetime
{
    const int Database = 13; // shared with Per_tenant_limits and The_lease_exchanges (same collection, so never at once)
    const decimal Band = 0.0029m; // no other test prices offers here

    readonly MarketUnderTest _market = fixture.Market;
    RedisServerProcess _cache = null!;
    ConnectionMultiplexer _cacheRedis = null!, _marketRedis = null!;
    RunningService _broker = null!;
    Offer _offer = null!;

    BrokerService.BrokerServiceClient Broker => new(_broker.Channel);

    public async Task InitializeAsync()
    {
        _cache = await RedisServerProcess.StartAsync(default, "--appendonly", "no");
        _cacheRedis = await ConnectionMultiplexer.ConnectAsync(_cache.ConnectionString);
        _marketRedis = await ConnectionMultiplexer.ConnectAsync(_market.Servers.RedisConnectionString);
        _offer = await _market.OfferInBandAsync(Band, 16); // before the broker: its catalog starts from the snapshot
        _broker = await _market.StartBrokerAsync(
            ("ConnectionStrings:Redis", $"{_market.Servers.RedisConnectionString},defaultDatabase={Database}"),
            ("ConnectionStrings:QuoteCache", _cache.ConnectionString),
            ("Bus:EndpointPrefix", $"broker-cache-{Guid.NewGuid():N}"[..21]),
            ("Broker:ProviderAddress", _market.Provider.Address.ToString()),
            ("Broker:BillingAddress", _market.Billing.Address.ToString()));
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _cacheRedis.DisposeAsync();
        await _marketRedis.DisposeAsync();
        await _cache.DisposeAsync();
    }

    [Fact]
    public async Task Hold_the_quotes_while_the_market_holds_the_accepts_so_an_emptied_cache_loses_no_lease()
    {
        var accepted = await QuoteAsync("tenant-cache", 4);
        var open = await QuoteAsync("tenant-cache-open", 4);
        var (replyKey, _) = QuoteStore.Locate(accepted.Id)!.Value;
        Assert.True(await _cacheRedis.GetDatabase().KeyExistsAsync(replyKey));
        Assert.False(await _marketRedis.GetDatabase(Database).KeyExistsAsync(replyKey));

        var accept = new AcceptQuoteRequest { QuoteId = accepted.Id, IdempotencyKey = Samples.UniqueId("cache-key") };
        var lease = await Broker.AcceptQuoteAsync(accept);
        Assert.Equal(QuoteState.Accepted, (await Broker.GetQuoteAsync(new GetQuoteRequest { QuoteId = accepted.Id })).State);
        Assert.Equal(QuoteState.Open, (await Broker.GetQuoteAsync(new GetQuoteRequest { QuoteId = open.Id })).State);
        Assert.False(await _marketRedis.GetDatabase(Database).KeyExistsAsync(replyKey)); // the accept wrote no quote there

        await _cacheRedis.GetServer(_cacheRedis.GetEndPoints()[0]).FlushAllDatabasesAsync(); // as a cache restarted empty

        Assert.Equal(lease.Id, (await Broker.AcceptQuoteAsync(accept)).Id);
        await StatusOf(StatusCode.FailedPrecondition, Broker.AcceptQuoteAsync(
            new AcceptQuoteRequest { QuoteId = accepted.Id, IdempotencyKey = Samples.UniqueId("another-key") }).ResponseAsync);
        await StatusOf(StatusCode.NotFound, Broker.AcceptQuoteAsync(
            new AcceptQuoteRequest { QuoteId = open.Id, IdempotencyKey = Samples.UniqueId("lost-key") }).ResponseAsync);
        await StatusOf(StatusCode.NotFound, Broker.GetQuoteAsync(new GetQuoteRequest { QuoteId = open.Id }).ResponseAsync);
        await AssertOnlyTheLeaseHoldsAsync(4);
    }

    [Fact]
    public async Task Away_still_quotes_and_answers_accepts_with_a_clear_status()
    {
        var accepted = await QuoteAsync("tenant-cache-away", 4);
        var accept = new AcceptQuoteRequest { QuoteId = accepted.Id, IdempotencyKey = Samples.UniqueId("away-key") };
        var lease = await Broker.AcceptQuoteAsync(accept);
        Assert.Equal(ServingStatus.Serving, await HealthAsync(QuoteCacheHealthCheck.Name));

        await _cache.DisposeAsync(); // killed: every read and write of a quote fails from here on

        // Told under its own name; the broker's own readiness stands, as it still quotes.
        Assert.Equal(ServingStatus.NotServing, await HealthAsync(QuoteCacheHealthCheck.Name));
        Assert.Equal(ServingStatus.Serving, await HealthAsync(""));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        var quoted = await Broker.RequestQuoteAsync(BrokerSteps.Batch("tenant-cache-away", 4, 2, Band), deadline: deadline);
        var unstored = quoted.Options.First(q => q.Placements.All(p => p.OfferId == _offer.Id));
        Assert.Equal(lease.Id, (await Broker.AcceptQuoteAsync(accept, deadline: deadline)).Id); // from the market's Redis
        // Unreadable while the cache is away: no lease, and the tenant is told to retry, not that it never existed.
        await StatusOf(StatusCode.Unavailable, Broker.AcceptQuoteAsync(
            new AcceptQuoteRequest { QuoteId = unstored.Id, IdempotencyKey = Samples.UniqueId("unstored-key") }, deadline: deadline).ResponseAsync);
        await AssertOnlyTheLeaseHoldsAsync(4);

        // The market's own quotes are not the cache's: an auction's match still becomes a lease.
        var bidder = Samples.UniqueId("cache-away-bidder");
        using var tenantChannel = MarketUnderTest.ChannelAs(_broker, MarketUnderTest.TokenFor(MarketRoles.Tenant, bidder));
        var exchange = new ExchangeService.ExchangeServiceClient(tenantChannel);
        var demand = BrokerSteps.Batch(bidder, 2, 2, Band);
        demand.PriceCeilingPerHour = null;
        demand.AllowedRegionIds.Add("guizhou"); // the offer's region
        var bid = await exchange.PlaceBidAsync(new PlaceBidRequest
        {
            RequestId = "bid-1", Demand = demand, LimitPrice = Money.FromDecimal(1.00m, "CNY"), Divisible = false,
        }, deadline: deadline);
        await new ExchangeService.ExchangeServiceClient(_broker.Channel).RunAuctionAsync(new RunAuctionRequest(), deadline: deadline);
        var filled = await exchange.GetBidAsync(new GetBidRequest { BidId = bid.Id }, deadline: deadline);
        Assert.True(filled.State == BidState.Filled, $"the bid is {filled.State}: {filled.LastOutcome}");
        Assert.Equal(bidder, (await Broker.GetLeaseAsync(new GetLeaseRequest { LeaseId = filled.LeaseId }, deadline: deadline)).TenantId);

        // Back (empty, on the same address): the broker reconnects, stores quotes again and accepts them.
        _cache = await RedisServerProcess.StartOnAsync(_cache.Port, default, "--appendonly", "no");
        await Eventually.TrueAsync(async () => await HealthAsync(QuoteCacheHealthCheck.Name) == ServingStatus.Serving,
            "the quote cache to be reported serving again", TimeSpan.FromSeconds(30));
        var again = await Eventually.GetAsync(async () =>
        {
            var quote = await QuoteAsync("tenant-cache-back", 2);
            var (key, _) = QuoteStore.Locate(quote.Id)!.Value;
            return await _cacheRedis.GetDatabase().KeyExistsAsync(key) ? quote : null;
        }, "a quote stored in the quote cache once it is back", TimeSpan.FromSeconds(30));
        var back = await Broker.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = again.Id, IdempotencyKey = Samples.UniqueId("back-key") },
            deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.Equal(again.Id, back.QuoteId);
        Assert.All(await _market.ProviderClient.SlotsAsync(_offer), s => Assert.Equal(0, s.Held));
    }

    async Task<ServingStatus> HealthAsync(string service) =>
        (await new Health.HealthClient(_broker.Channel).CheckAsync(new HealthCheckRequest { Service = service })).Status;

    Task<Quote> QuoteAsync(string tenant, int accelerators) =>
        _market.QuoteOnAsyncWith(Broker, BrokerSteps.Batch(Samples.UniqueId(tenant), accelerators, 2, Band), _offer);

    async Task AssertOnlyTheLeaseHoldsAsync(int units)
    {
        var slots = await _market.ProviderClient.SlotsAsync(_offer);
        Assert.All(slots, s => Assert.Equal(0, s.Held));
        Assert.Equal(units, slots.Max(s => s.Leased));
    }

    static async Task StatusOf(StatusCode expected, Task call) =>
        Assert.Equal(expected, (await Assert.ThrowsAsync<RpcException>(() => call)).StatusCode);
}
