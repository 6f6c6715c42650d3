using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Time;
using Marketplace.Testing.Market;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Failover;

// Two batch leases run on interruptible capacity at site A; its provider reclaims it with notice (an
// outage of the offer starting hours ahead). Both tenants hear at once (LeasePreempted), billing stops at
// the reclaim; the lease that asked to be placed again carries on at B, the other ends at the reclaim.
[Collection(MarketCollection.Name)]
public sealed class Interruptible_capacity_reclaimed_with_notice(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 4; // shared with A_site_going_down_mid_lease and Billing_periods_on_an_accelerated_clock (one collection)
    const double Speed = 1200; // an hour in 3 s
    const string Model = "DCU-Z100";
    const int Units = 4, Hours = 6;

    [Fact]
    public async Task Tells_each_lease_ahead_stops_billing_at_the_reclaim_and_places_again_only_if_asked()
    {
        await using var market = await AcceleratedMarket.StartAsync(fixture.Market, Database, Speed, platformFeePercent: 0m);
        var provider = Samples.UniqueId("spot-power");
        var spot = await FailoverSites.OfferAsync(market, provider, "a", "gansu", Model, 2.00m, interruptible: true);
        var steady = await FailoverSites.OfferAsync(market, provider, "b", "gansu", Model, 4.00m);
        await using var events = await RawEvents.ListenAsync(fixture.Market.Servers.RabbitMqUri,
            LeasePreempted.Descriptor, LeaseMoved.Descriptor, LeaseEnded.Descriptor, UsageRecorded.Descriptor);

        var start = WholeHours.Ceiling(market.Now).AddHours(1);
        var (stays, moves) = (Samples.UniqueId("tenant-spot"), Samples.UniqueId("tenant-spot-move"));
        var leaseThatEnds = await LeaseAtAsync(market, stays, spot, start, replace: false);
        var leaseThatMoves = await LeaseAtAsync(market, moves, spot, start, replace: true);

        // Half an hour in, the provider gives notice: the capacity goes back at the start of hour 3.
        await Eventually.TrueAsync(() => Task.FromResult(market.Now >= start.AddHours(0.5)), "the leases under way", TimeSpan.FromSeconds(60));
        var reclaim = start.AddHours(3);
        var outage = await market.ProviderAs(provider).ReportOutageAsync(new ReportOutageRequest
        {
            DatacenterId = spot.DatacenterId, OfferId = spot.Id, Start = Timestamp.FromDateTimeOffset(reclaim), Reason = "reclaimed for a reserved customer",
        });

        var told = await events.UntilAsync(all => all.Once<LeasePreempted>().Count(p => p.OutageId == outage.Id) == 2, TimeSpan.FromSeconds(60));
        foreach (var preempted in told.Once<LeasePreempted>().Where(p => p.OutageId == outage.Id))
        {
            Assert.Equal(reclaim, preempted.ReclaimAt.ToDateTimeOffset());
            Assert.True(preempted.OccurredAt.ToDateTimeOffset() < reclaim, "told ahead of the reclaim");
        }
        var moved = told.Once<LeaseMoved>().Single(m => m.Lease.Id == leaseThatMoves.Id);
        Assert.Equal(steady.Id, Assert.Single(moved.ToLease.Allocations).OfferId);
        Assert.Equal((reclaim, start.AddHours(Hours)), (moved.ToLease.Window.Start.ToDateTimeOffset(), moved.ToLease.Window.End.ToDateTimeOffset()));
        var ended = told.Once<LeaseMoved>().Single(m => m.Lease.Id == leaseThatEnds.Id);
        Assert.Null(ended.ToLease);
        Assert.Equal(reclaim, ended.Lease.Window.End.ToDateTimeOffset());
        Assert.Contains("preempted", ended.Lease.EndReason);

        // Billing: each lease's hours at A up to the reclaim, the moved one's at B after it; nothing else.
        var done = await events.UntilAsync(all => new[] { leaseThatEnds.Id, leaseThatMoves.Id, moved.ToLease.Id }
            .All(id => all.Once<LeaseEnded>().Any(e => e.Lease.Id == id)), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1)); // the meter's last pass
        var usage = (await events.UntilAsync(_ => true, TimeSpan.FromSeconds(1))).Once<UsageRecorded>().ToList();
        List<DateTimeOffset> BilledHours(string leaseId) => usage.Where(u => u.LeaseId == leaseId).Select(u => u.Interval.Start.ToDateTimeOffset()).Order().ToList();
        var expectedAtA = Enumerable.Range(0, 3).Select(h => start.AddHours(h)).ToList();
        Assert.Equal(expectedAtA, BilledHours(leaseThatEnds.Id));
        Assert.Equal(expectedAtA, BilledHours(leaseThatMoves.Id));
        Assert.Equal(Enumerable.Range(3, 3).Select(h => start.AddHours(h)).ToList(), BilledHours(moved.ToLease.Id));
        Assert.Equal(Units * 3 * 2.00m, await market.BillingClient.SettledTenantBalanceAsync(stays, Units * 3 * 2.00m));
        Assert.Equal(Units * 3 * (2.00m + 4.00m), await market.BillingClient.SettledTenantBalanceAsync(moves, Units * 3 * (2.00m + 4.00m)));
        output.WriteLine($"{moved.Move.Reason}; {ended.Move.Reason}");
    }

    static async Task<Lease> LeaseAtAsync(AcceleratedMarket market, string tenant, Offer offer, DateTimeOffset start, bool replace)
    {
        var request = new QuoteRequest
        {
            TenantId = tenant,
            AcceleratorHours = new AcceleratorHours { AcceleratorModel = Model, Hours = Units * Hours },
            Accelerators = Units,
            Workload = WorkloadKind.Batch,
            Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddHours(Hours)) },
            AllowedRegionIds = { "gansu" },
            ReplaceIfPreempted = replace,
        };
        return await FailoverSites.LeaseAtAsync(market, request, offer);
    }
}
