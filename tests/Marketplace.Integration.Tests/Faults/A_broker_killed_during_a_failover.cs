using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Faults;

// Site A goes down under four scheduled training leases of a broker process that is killed with SIGKILL at
// random moments while it moves them, and started again each time. Once it is done: every lease moved
// exactly once, to one new lease at B that holds its hours; no hold at A left on the moved hours; no
// confirmed hold at B that no lease names; one LeaseMoved per lease, whatever was sent twice.
// Replay with MARKETPLACE_TEST_SEED=<seed>.
[Collection(MarketCollection.Name)]
public sealed class A_broker_killed_during_a_failover(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 12; // shared with Accepting_while_the_broker_is_killed (one collection); each reads only its own leases
    const string Model = "DCU-Z100", Region = "henan"; // no other test sells these there
    const int Leases = 4, UnitsEach = 2, HoursEach = 3, Kills = 2;
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Finishes_every_move_once_after_each_restart()
    {
        var seed = FaultSettings.NewSeed();
        output.WriteLine($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;
        var provider = Samples.UniqueId("failover-kill");
        var (siteA, siteB) = (await SiteAsync(provider, "a"), await SiteAsync(provider, "b"));
        var atA = await OfferAsync(siteA, 3.00m);
        var atB = await OfferAsync(siteB, 3.50m);
        await using var broker = await IsolatedBroker.StartAsync(_market, Database, ct: ct);
        await using var events = await RawEvents.ListenAsync(_market.Servers.RabbitMqUri, LeaseMoved.Descriptor);

        var start = Samples.NextWholeHour().AddHours(1);
        var leases = new List<Lease>();
        for (var i = 0; i < Leases; i++)
        {
            var quote = await _market.QuoteOnAsyncWith(broker.Client, Training($"tenant-failover-kill-{i}-{seed}", start), atA);
            leases.Add(await broker.Client.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = quote.Id }, cancellationToken: ct));
        }

        // Act: A goes down; the broker dies under its moves, at random moments, and comes back each time.
        var outage = await _market.ProviderClient.ReportOutageAsync(new ReportOutageRequest { DatacenterId = siteA.Id, Reason = "grid fault" },
            cancellationToken: ct);
        for (var kill = 0; kill < Kills; kill++)
        {
            var wait = TimeSpan.FromMilliseconds(random.Next(0, 400));
            await Task.Delay(wait, ct);
            await broker.KillAsync();
            output.WriteLine($"killed {wait.TotalMilliseconds} ms into start {broker.Starts}; moved by then: " +
                             $"{(await broker.StoredLeasesAsync(leases.Select(l => l.Id))).Count(l => l.Moves.Count > 0)}");
            await broker.StartAgainAsync(ct);
        }

        // Assert: each lease moved once, to a lease at B, and every hold where it should be.
        var moved = await Eventually.GetAsync(async () =>
        {
            var stored = await broker.StoredLeasesAsync(leases.Select(l => l.Id));
            return stored.Count == Leases && stored.All(l => l.Moves.Count > 0) && await broker.PendingAcceptsAsync() == 0 ? stored : null;
        }, "every lease moved and no accept pending", TimeSpan.FromSeconds(60));
        var carriers = new List<Lease>();
        foreach (var lease in moved)
        {
            var move = Assert.Single(lease.Moves);
            output.WriteLine($"{lease.Id}: {move.Reason}");
            Assert.Equal(outage.Id, move.OutageId);
            var carrier = await broker.StoredLeaseAsync(move.ToLeaseId);
            Assert.NotNull(carrier);
            Assert.Equal(lease.Id, carrier.MovedFromLeaseId);
            var hours = Assert.Single(carrier.Allocations);
            Assert.Equal((atB.Id, UnitsEach), (hours.OfferId, hours.Units));
            Assert.Equal((start, start.AddHours(HoursEach)), (hours.Window.Start.ToDateTimeOffset(), hours.Window.End.ToDateTimeOffset()));
            Assert.Equal(LeaseState.Cancelled, lease.State); // not begun: nothing left at A
            carriers.Add(carrier);
        }

        // Holds: none left confirmed at A; at B exactly the carriers' (an accept cut off by a kill was undone).
        await Eventually.TrueAsync(async () =>
        {
            var heldAtB = (await ProviderHoldRecord.ForOfferAsync(broker.FixtureStore, atB.Id)).Where(h => h.State == "CONFIRMED").ToList();
            return heldAtB.Select(h => h.LeaseId).Order().SequenceEqual(carriers.Select(c => c.Id).Order());
        }, "B's confirmed holds are the carriers' and no other", TimeSpan.FromSeconds(30));
        var heldAtA = (await ProviderHoldRecord.ForOfferAsync(broker.FixtureStore, atA.Id)).Where(h => h.State == "CONFIRMED").ToList();
        Assert.Empty(heldAtA);

        var told = await events.UntilAsync(all => leases.All(l => all.OfType<LeaseMoved>().Any(m => m.Lease.Id == l.Id)), TimeSpan.FromSeconds(30));
        foreach (var lease in leases)
        {
            var ids = told.OfType<LeaseMoved>().Where(m => m.Lease.Id == lease.Id).Select(m => m.EventId).Distinct().ToList();
            Assert.Single(ids); // a re-send after a kill is the same event
            Assert.Equal(moved.Single(l => l.Id == lease.Id).Moves[0].ToLeaseId,
                told.OfType<LeaseMoved>().First(m => m.Lease.Id == lease.Id).ToLease.Id);
        }
        output.WriteLine($"{broker.Starts} starts; carriers {string.Join(", ", carriers.Select(c => c.Id))}");
    }

    async Task<DataCenter> SiteAsync(string provider, string name)
    {
        var site = Samples.DataCenter(Samples.UniqueId($"{Region}-{name}"), provider);
        (site.RegionId, site.HubId, site.City) = (Region, "", "Zhengzhou");
        await _market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = site });
        return site;
    }

    async Task<Offer> OfferAsync(DataCenter site, decimal price)
    {
        var offer = Samples.Offer(site.Id, price, count: Leases * UnitsEach, days: 2);
        offer.AcceleratorModel = Model;
        return await _market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = offer });
    }

    static QuoteRequest Training(string tenant, DateTimeOffset start) => new()
    {
        TenantId = tenant,
        AcceleratorHours = new AcceleratorHours { AcceleratorModel = Model, Hours = UnitsEach * HoursEach },
        Accelerators = UnitsEach,
        Workload = WorkloadKind.Training,
        Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddHours(HoursEach)) },
        AllowedRegionIds = { Region },
    };
}
