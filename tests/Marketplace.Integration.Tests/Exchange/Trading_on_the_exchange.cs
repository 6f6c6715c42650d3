using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Exchange;

// Bids against real offers, cleared by a call auction in the running broker: the winners get leases
// through the accept protocol at the clearing price, the provider's capacity is taken, results are kept and
// can be watched from a cursor; retries of a bid are the same bid; bad bids get a clear status.
// The offers are of a model and in a region no other test publishes, and the bids may use only that
// region, so the auction gives this test's bids only this test's offers.
[Collection(MarketCollection.Name)]
public sealed class Trading_on_the_exchange(MarketFixture fixture, ITestOutputHelper output) : IDisposable
{
    const string Model = "MLU370-X8", Region = "tianjin", Hub = "beijing-tianjin-hebei";
    readonly MarketUnderTest _market = fixture.Market;
    readonly string _batch = Samples.UniqueId("bidder-batch"), _training = Samples.UniqueId("bidder-train");
    readonly List<GrpcChannel> _channels = [];

    ExchangeService.ExchangeServiceClient As(string role, string subject) =>
        new(TrackedChannel(_market.Broker.Address, MarketUnderTest.TokenFor(role, subject)));

    GrpcChannel TrackedChannel(Uri address, string token)
    {
        var channel = TestChannels.For(address, token);
        _channels.Add(channel);
        return channel;
    }

    [Fact]
    public async Task Clears_bids_into_leases_at_the_clearing_price()
    {
        var operatorClient = As(MarketRoles.Operator, "exchange-operator");
        var tianjin = await OfferAsync(6.00m, 12);
        await Eventually.TrueAsync(async () => (await operatorClient.GetOrderBookAsync(new GetOrderBookRequest()))
            .Asks.Any(a => a.AcceleratorModel == Model && a.RegionId == Region && a.Levels.Any(l => l.PricePerHour.ToDecimal() == 6.00m)), "the offer in the order book");
        var firstHour = Samples.NextWholeHour();
        var batch = await As(MarketRoles.Tenant, _batch).PlaceBidAsync(Bid(_batch, "b-1", WorkloadKind.Batch, 4, 2, 9.00m, divisible: true));
        var training = await As(MarketRoles.Tenant, _training).PlaceBidAsync(Bid(_training, "t-1", WorkloadKind.Training, 8, 2, 14.00m, divisible: true,
            standUntil: firstHour.AddHours(3)));
        Assert.False(training.Divisible); // training is all-or-nothing whatever the bid says
        var book = await operatorClient.GetOrderBookAsync(new GetOrderBookRequest());
        Assert.Contains(book.Bids, d => d.AcceleratorModel == Model && d.Levels.Any(l => l.PricePerHour.ToDecimal() == 14.00m && l.Accelerators >= 8));
        var before = (await operatorClient.ListAuctionsAsync(new ListAuctionsRequest { PageSize = 1 })).Auctions.FirstOrDefault();

        // Act: an operator clears the auction now (the market clock may have cleared one meanwhile).
        var run = await operatorClient.RunAuctionAsync(new RunAuctionRequest());
        output.WriteLine($"auction {run.Id}: {run.BidsFilled}/{run.BidsIn} filled, gap {run.OptimalityGap}, {run.SolveSeconds} s, " +
                         $"prices {string.Join("; ", run.Prices.Select(p => $"{p.RegionId} {p.AcceleratorModel} {p.Hour.ToDateTimeOffset():HH}h {p.PricePerHour.ToDecimal()} x{p.Accelerators}"))}");
        var batchNow = await As(MarketRoles.Tenant, _batch).GetBidAsync(new GetBidRequest { BidId = batch.Id });
        var trainingNow = await As(MarketRoles.Tenant, _training).GetBidAsync(new GetBidRequest { BidId = training.Id });

        output.WriteLine($"batch: {batchNow.LastOutcome}; training: {trainingNow.LastOutcome}");

        // Assert: both filled at the Tianjin offer, the block whole, each within its limit.
        Assert.Equal((BidState.Filled, BidState.Filled), (batchNow.State, trainingNow.State));
        var result = batchNow.LastAuctionId == run.Id ? run
            : (await operatorClient.ListAuctionsAsync(new ListAuctionsRequest { PageSize = 20 })).Auctions.Single(a => a.Id == batchNow.LastAuctionId);
        Assert.Equal(0, result.OptimalityGap);
        Assert.Equal(0m, result.MovingCost.ToDecimal());
        var batchLease = await _market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = batchNow.LeaseId });
        var trainingLease = await _market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = trainingNow.LeaseId });
        Assert.Equal((_batch, _training), (batchLease.TenantId, trainingLease.TenantId));
        Assert.All(batchLease.Allocations.Concat(trainingLease.Allocations), a => Assert.Equal(tianjin.Id, a.OfferId));
        Assert.Equal(8, batchLease.Allocations.Sum(a => a.Units * Hours(a.Window)));
        var block = Assert.Single(trainingLease.Allocations);
        Assert.Equal((8, 2), (block.Units, Hours(block.Window)));
        foreach (var allocation in batchLease.Allocations)
        {
            var price = result.Prices.Single(p => p.RegionId == Region && p.AcceleratorModel == Model && p.Hour.Equals(allocation.Window.Start));
            Assert.Equal(price.PricePerHour.ToDecimal(), allocation.PricePerHour.ToDecimal());
            Assert.Equal((Hub, "east"), (price.HubId, price.Side));
            Assert.InRange(allocation.PricePerHour.ToDecimal(), 6.00m, 9.00m);
        }
        Assert.InRange(block.PricePerHour.ToDecimal(), 6.00m, 14.00m);
        Assert.Equal(LeaseState.Scheduled, trainingLease.State);

        // The provider's calendar has them: those hours are no longer free at the offer.
        var catalog = await Eventually.GetAsync(async () =>
        {
            var asks = (await operatorClient.GetOrderBookAsync(new GetOrderBookRequest())).Asks
                .Where(a => a.AcceleratorModel == Model && a.RegionId == Region && a.Hour.Equals(block.Window.Start)).ToList();
            return asks.Sum(a => a.Levels.Sum(l => l.Accelerators)) <= 12 - 8 - batchLease.Allocations.Where(x => x.Window.Start.Equals(block.Window.Start)).Sum(x => x.Units)
                ? asks : null;
        }, "the order book to show the auction's hours taken");
        Assert.NotNull(catalog);

        // Watching from the cursor before this auction sees it; a retried bid is the same bid, filled.
        if (before is not null)
        {
            using var watch = operatorClient.WatchAuctions(new WatchAuctionsRequest { AfterCursor = before.Cursor },
                deadline: DateTime.UtcNow.AddSeconds(20));
            var seen = new List<string>();
            while (!seen.Contains(result.Id) && await watch.ResponseStream.MoveNext(CancellationToken.None))
                seen.Add(watch.ResponseStream.Current.Id);
            Assert.Contains(result.Id, seen);
        }
        var again = await As(MarketRoles.Tenant, _batch).PlaceBidAsync(Bid(_batch, "b-1", WorkloadKind.Batch, 4, 2, 9.00m, divisible: true));
        Assert.Equal((batch.Id, BidState.Filled), (again.Id, again.State));
        var cancel = await Assert.ThrowsAsync<RpcException>(() => As(MarketRoles.Tenant, _batch).CancelBidAsync(new CancelBidRequest { BidId = batch.Id }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, cancel.StatusCode);
    }

    [Fact]
    public async Task Answers_every_bad_bid_with_a_clear_status()
    {
        var tenant = As(MarketRoles.Tenant, _batch);
        var good = Bid(_batch, "ok", WorkloadKind.Batch, 2, 1, 5m, divisible: true);
        async Task<RpcException> Refused(PlaceBidRequest request, ExchangeService.ExchangeServiceClient? client = null) =>
            await Assert.ThrowsAsync<RpcException>(() => (client ?? tenant).PlaceBidAsync(request).ResponseAsync);

        var noLimit = good.Clone();
        noLimit.LimitPrice = null;
        Assert.Equal((StatusCode.InvalidArgument, "limit_price"), Field(await Refused(noLimit)));
        var hugeId = good.Clone();
        hugeId.RequestId = new string('x', 100_000);
        Assert.Equal((StatusCode.InvalidArgument, "request_id"), Field(await Refused(hugeId)));
        var noWindow = good.Clone();
        noWindow.Demand.Window = null;
        Assert.Equal(StatusCode.InvalidArgument, (await Refused(noWindow)).StatusCode);
        Assert.StartsWith("demand.", Field(await Refused(noWindow)).Field);
        var pastStand = good.Clone();
        pastStand.StandUntil = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal((StatusCode.InvalidArgument, "stand_until"), Field(await Refused(pastStand)));
        Assert.Equal(StatusCode.PermissionDenied, (await Refused(good, As(MarketRoles.Tenant, "someone-else"))).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Refused(good, As(MarketRoles.Provider, "test-provider"))).StatusCode);
        var run = await Assert.ThrowsAsync<RpcException>(() => tenant.RunAuctionAsync(new RunAuctionRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, run.StatusCode);
        var missing = await Assert.ThrowsAsync<RpcException>(() => tenant.GetBidAsync(new GetBidRequest { BidId = "bid-none" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var badCursor = Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var watch = tenant.WatchAuctions(new WatchAuctionsRequest { AfterCursor = new string('9', 100_000) });
            await watch.ResponseStream.MoveNext(CancellationToken.None);
        });
        Assert.Equal(StatusCode.InvalidArgument, (await badCursor).StatusCode);

        // The same request id with other terms is refused; cancelling an open bid works once and stays so.
        var placed = await tenant.PlaceBidAsync(good);
        var other = good.Clone();
        other.LimitPrice = Money.FromDecimal(6m, "CNY");
        Assert.Equal((StatusCode.InvalidArgument, "request_id"), Field(await Refused(other)));
        var cancelled = await tenant.CancelBidAsync(new CancelBidRequest { BidId = placed.Id });
        Assert.Equal(BidState.Cancelled, cancelled.State);
        Assert.Equal(BidState.Cancelled, (await tenant.CancelBidAsync(new CancelBidRequest { BidId = placed.Id })).State);
        Assert.Contains((await tenant.ListBidsAsync(new ListBidsRequest { TenantId = _batch })).Bids, b => b.Id == placed.Id && b.State == BidState.Cancelled);
    }

    [Fact]
    public async Task Leases_a_bid_once_when_an_auction_was_cut_off_between_the_lease_and_the_bid()
    {
        var operatorClient = As(MarketRoles.Operator, "exchange-operator");
        var tenantId = Samples.UniqueId("bidder-crash");
        var tenant = As(MarketRoles.Tenant, tenantId);
        // Hebei: a region of this case's own, so the other cases' bids never see its offer.
        await OfferAsync(5.00m, 4, "hebei");
        var placed = await tenant.PlaceBidAsync(Bid(tenantId, "c-1", WorkloadKind.Batch, 2, 1, 9.00m, divisible: true,
            standUntil: Samples.NextWholeHour().AddHours(3), region: "hebei"));
        await Eventually.TrueAsync(async () =>
        {
            await operatorClient.RunAuctionAsync(new RunAuctionRequest());
            return (await tenant.GetBidAsync(new GetBidRequest { BidId = placed.Id })).State == BidState.Filled;
        }, "the bid filled");
        var filled = await tenant.GetBidAsync(new GetBidRequest { BidId = placed.Id });

        // As a broker killed after the lease's commit and before the bid's update leaves it: open, matching.
        var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_market.Servers.RedisConnectionString);
        await using var _ = redis;
        var cut = filled.Clone();
        (cut.State, cut.LeaseId, cut.ClosedAt, cut.LastOutcome) = (BidState.Open, "", null, "matching: its lease is being made");
        await redis.GetDatabase().StringSetAsync($"{Marketplace.Broker.Storage.BrokerKeys.Tag}:bid:{placed.Id}", cut.ToByteArray());
        await redis.GetDatabase().SortedSetAddAsync(Marketplace.Broker.Storage.BrokerKeys.Tag + ":bids:open", placed.Id, 0);

        await operatorClient.RunAuctionAsync(new RunAuctionRequest());

        var after = await tenant.GetBidAsync(new GetBidRequest { BidId = placed.Id });
        Assert.Equal((BidState.Filled, filled.LeaseId), (after.State, after.LeaseId));
        var leases = await _market.BrokerClient.ListLeasesAsync(new ListLeasesRequest { TenantId = tenantId });
        Assert.Equal([filled.LeaseId], leases.Leases.Select(l => l.Id));
    }

    [Fact]
    public async Task Fills_a_bid_below_the_posted_price_at_the_providers_reserve()
    {
        var operatorClient = As(MarketRoles.Operator, "exchange-operator");
        var tenantId = Samples.UniqueId("bidder-reserve");
        var tenant = As(MarketRoles.Tenant, tenantId);
        // Shandong, outside the hubs: a region of this case's own. Posted at 10.00; idle hours go for 6.00.
        var offer = await OfferAsync(10.00m, 4, "shandong", hub: "", reserve: 6.00m);
        ProviderService.ProviderServiceClient ProviderAs(string role, string subject) =>
            new(TrackedChannel(_market.Provider.Address, MarketUnderTest.TokenFor(role, subject)));
        Assert.Equal(6.00m, (await ProviderAs(MarketRoles.Provider, offer.ProviderId).GetOfferAsync(new GetOfferRequest { OfferId = offer.Id }))
            .ReservePricePerHour.ToDecimal());
        Assert.Null((await ProviderAs(MarketRoles.Tenant, tenantId).GetOfferAsync(new GetOfferRequest { OfferId = offer.Id })).ReservePricePerHour);
        Assert.Null((await ProviderAs(MarketRoles.Provider, "another-provider").GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest()))
            .Offers.Single(o => o.Offer.Id == offer.Id).Offer.ReservePricePerHour);
        await Eventually.TrueAsync(async () => (await operatorClient.GetOrderBookAsync(new GetOrderBookRequest())).Asks
            .Any(a => a.RegionId == "shandong" && a.AcceleratorModel == Model && a.Levels.Any(l => l.PricePerHour.ToDecimal() == 6.00m)),
            "the offer in the order book at its reserve");

        // A bid at 8.00 could not buy at the posted price; in the auction it meets the reserve.
        var placed = await tenant.PlaceBidAsync(Bid(tenantId, "r-1", WorkloadKind.Batch, 2, 1, 8.00m, divisible: true,
            standUntil: Samples.NextWholeHour().AddHours(3), region: "shandong"));
        await Eventually.TrueAsync(async () =>
        {
            await operatorClient.RunAuctionAsync(new RunAuctionRequest());
            return (await tenant.GetBidAsync(new GetBidRequest { BidId = placed.Id })).State == BidState.Filled;
        }, "the bid filled");

        var filled = await tenant.GetBidAsync(new GetBidRequest { BidId = placed.Id });
        var lease = await _market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = filled.LeaseId });
        var allocation = Assert.Single(lease.Allocations);
        Assert.Equal((offer.Id, 2), (allocation.OfferId, allocation.Units));
        Assert.InRange(allocation.PricePerHour.ToDecimal(), 6.00m, 8.00m); // at least the reserve, at most the limit
        var auction = (await operatorClient.ListAuctionsAsync(new ListAuctionsRequest { PageSize = 20 })).Auctions.Single(a => a.Id == filled.LastAuctionId);
        var price = auction.Prices.Single(p => p.RegionId == "shandong" && p.AcceleratorModel == Model && p.Hour.Equals(allocation.Window.Start));
        Assert.Equal((allocation.PricePerHour.ToDecimal(), ""), (price.PricePerHour.ToDecimal(), price.Side)); // outside the hubs: no side

        // A reserve above the price is refused, naming the field; lowering the price below the reserve drops it.
        var owner = ProviderAs(MarketRoles.Provider, offer.ProviderId);
        var above = await Assert.ThrowsAsync<RpcException>(() => owner.ChangeOfferAsync(new ChangeOfferRequest
            { OfferId = offer.Id, ReservePricePerHour = Money.FromDecimal(11m, "CNY") }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "reserve_price_per_hour"), Field(above));
        var tooHigh = Samples.Offer(offer.DatacenterId, 5m, 1);
        tooHigh.ReservePricePerHour = Money.FromDecimal(5.01m, "CNY");
        var publish = await Assert.ThrowsAsync<RpcException>(() => _market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = tooHigh }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "offer.reserve_price_per_hour"), Field(publish));
        var lowered = await owner.ChangeOfferAsync(new ChangeOfferRequest { OfferId = offer.Id, PricePerHour = Money.FromDecimal(5m, "CNY") });
        Assert.Null(lowered.Offer.ReservePricePerHour);
    }

    [Fact]
    public async Task Finishes_a_placement_cut_off_between_its_two_writes()
    {
        // A broker that died after claiming the request id but before storing the bid left only the claim.
        var tenant = As(MarketRoles.Tenant, _training);
        var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_market.Servers.RedisConnectionString);
        await using var _ = redis;
        var orphan = "bid-" + Guid.NewGuid().ToString("N");
        await redis.GetDatabase().StringSetAsync($"{Marketplace.Broker.Storage.BrokerKeys.Tag}:bid-request:{_training}:crashed", orphan);

        var placed = await tenant.PlaceBidAsync(Bid(_training, "crashed", WorkloadKind.Batch, 1, 1, 5m, divisible: true));
        var retried = await tenant.PlaceBidAsync(Bid(_training, "crashed", WorkloadKind.Batch, 1, 1, 5m, divisible: true));

        Assert.Equal((orphan, orphan), (placed.Id, retried.Id));
        Assert.Equal(BidState.Open, (await tenant.GetBidAsync(new GetBidRequest { BidId = orphan })).State);
        await tenant.CancelBidAsync(new CancelBidRequest { BidId = orphan });
    }

    static (StatusCode, string Field) Field(RpcException e) =>
        (e.StatusCode, e.Trailers.GetValue("field") ?? e.Status.Detail.Split(':')[0]);

    PlaceBidRequest Bid(string tenant, string requestId, WorkloadKind workload, int accelerators, int hours, decimal limit,
        bool divisible, DateTimeOffset? standUntil = null, string region = Region)
    {
        var start = Samples.NextWholeHour();
        return new PlaceBidRequest
        {
            RequestId = requestId,
            Demand = new QuoteRequest
            {
                TenantId = tenant,
                AcceleratorHours = new AcceleratorHours { AcceleratorModel = Model, Hours = accelerators * hours },
                Accelerators = accelerators,
                Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddHours(4)) },
                Workload = workload,
                AllowedRegionIds = { region },
            },
            LimitPrice = Money.FromDecimal(limit, "CNY"),
            Divisible = divisible,
            StandUntil = standUntil is { } until ? Timestamp.FromDateTimeOffset(until) : null,
        };
    }

    async Task<Offer> OfferAsync(decimal price, int count, string region = Region, string hub = Hub, decimal? reserve = null)
    {
        var siteId = Samples.UniqueId("exchange-site");
        var site = Samples.DataCenter(siteId);
        (site.RegionId, site.HubId, site.City) = (region, hub, region);
        await _market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = site });
        var offer = Samples.Offer(siteId, price, count);
        offer.AcceleratorModel = Model;
        offer.ReservePricePerHour = reserve is { } r ? Money.FromDecimal(r, "CNY") : null;
        return await _market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = offer });
    }

    static int Hours(TimeWindow window) => (int)(window.End.ToDateTimeOffset() - window.Start.ToDateTimeOffset()).TotalHours;

    public void Dispose()
    {
        foreach (var channel in _channels)
            channel.Dispose();
    }
}
