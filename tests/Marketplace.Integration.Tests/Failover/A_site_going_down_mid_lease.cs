using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Time;
using Marketplace.Testing.Market;
using Marketplace.Broker.Failover;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Failover;

// A training lease runs at site A on an accelerated clock; A loses power mid-lease. The hours not yet
// begun move to site B through the accept protocol (a new lease, LeaseMoved naming both); the hours
// delivered at A stay billed at A's price, the moved ones are billed at B's, the hours A was down are
// billed nowhere, and no hour is billed twice.
[Collection(MarketCollection.Name)]
public sealed class A_site_going_down_mid_lease(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 4; // shared with Billing_periods_on_an_accelerated_clock (same collection, so never at once)
    const double Speed = 1200; // an hour in 3 s
    const string Model = "MLU370-X8";
    const int Units = 4, Hours = 8;

    [Fact]
    public async Task Moves_the_hours_not_yet_begun_and_bills_each_hour_once_at_the_site_that_ran_it()
    {
        await using var market = await AcceleratedMarket.StartAsync(fixture.Market, Database, Speed, platformFeePercent: 0m);
        var provider = Samples.UniqueId("karst-power");
        // A's SLA: half an hour's charge back for every hour an outage takes.
        var (a, b) = (await FailoverSites.OfferAsync(market, provider, "a", "guizhou", Model, 3.00m, slaCreditPercent: 50),
            await FailoverSites.OfferAsync(market, provider, "b", "guizhou", Model, 4.00m));
        await using var events = await RawEvents.ListenAsync(fixture.Market.Servers.RabbitMqUri,
            LeaseMoved.Descriptor, LeaseEnded.Descriptor, UsageRecorded.Descriptor, OutageStarted.Descriptor, UsageLost.Descriptor);

        // Training: one allocation at one site, at the cheaper A.
        var tenant = Samples.UniqueId("tenant-failover");
        var start = WholeHours.Ceiling(market.Now).AddHours(1);
        var request = new QuoteRequest
        {
            TenantId = tenant,
            AcceleratorHours = new AcceleratorHours { AcceleratorModel = Model, Hours = Units * Hours },
            Accelerators = Units,
            Workload = WorkloadKind.Training,
            Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddHours(Hours)) },
            AllowedRegionIds = { "guizhou" },
        };
        var quote = await Eventually.GetAsync(async () => (await market.BrokerClient.TryQuoteAsync(request))?.Options
            .FirstOrDefault(o => o.Placements.All(p => p.OfferId == a.Id)), "a quote at site A");
        var lease = await market.BrokerClient.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = Samples.UniqueId("k") });

        // Two hours in, A goes down.
        await Eventually.TrueAsync(() => Task.FromResult(market.Now >= start.AddHours(2.3)), "two hours of the lease", TimeSpan.FromSeconds(60));
        var report = new ReportOutageRequest { DatacenterId = a.DatacenterId, Reason = "power feed lost", IdempotencyKey = Samples.UniqueId("outage") };
        var outage = await market.ProviderAs(provider).ReportOutageAsync(report);
        Assert.Equal([a.Id], outage.OfferIds);
        Assert.Equal(outage.Id, (await market.ProviderAs(provider).ReportOutageAsync(report)).Id); // a retry is the same outage

        var seen = await events.UntilAsync(all => all.OfType<LeaseMoved>().Any(m => m.Lease.Id == lease.Id && m.Move.OutageId == outage.Id),
            TimeSpan.FromSeconds(30));
        var moved = seen.OfType<LeaseMoved>().First(m => m.Lease.Id == lease.Id && m.Move.OutageId == outage.Id);
        var carrier = moved.ToLease;
        output.WriteLine($"outage at {outage.Start.ToDateTimeOffset():u}; moved from {moved.Move.From.ToDateTimeOffset():u} to lease {carrier?.Id}: {moved.Move.Reason}");
        Assert.NotNull(carrier);
        Assert.Equal(lease.Id, carrier.MovedFromLeaseId);
        Assert.All(carrier.Allocations, x => Assert.Equal(b.Id, x.OfferId));
        var from = moved.Move.From.ToDateTimeOffset();
        Assert.Equal((from, start.AddHours(Hours)), (carrier.Window.Start.ToDateTimeOffset(), carrier.Window.End.ToDateTimeOffset()));
        Assert.Equal(from, moved.Lease.Window.End.ToDateTimeOffset()); // the old lease now ends where its hours moved
        // B's 4.00 against A's 3.00 for the moved hours: what the move costs the tenant, shown on the move.
        var movedHours = (decimal)(start.AddHours(Hours) - from).TotalHours;
        Assert.Equal(carrier.QuotedTotal.ToDecimal() - Units * movedHours * 3.00m, moved.Move.ExtraCost.ToDecimal());
        Assert.True(moved.Move.ExtraCost.ToDecimal() > 0);

        // As a broker killed after the new lease's commit and the release, before the old lease's update, leaves
        // it: the old lease as it was. Running the move again (RabbitMQ's redelivery) finishes it with the same
        // new lease, not a second one.
        var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.Market.Servers.RedisConnectionString + $",defaultDatabase={Database}");
        await using (redis)
        {
            var cut = lease.Clone();
            (cut.State, cut.StartedAt) = (LeaseState.Active, lease.Window.Start);
            await redis.GetDatabase().HashSetAsync(Marketplace.Broker.Storage.LeaseStore.Key(lease.Id), [new("l", cut.ToByteArray()), new("s", nameof(LeaseState.Active))]);
            await redis.GetDatabase().SortedSetAddAsync(Marketplace.Broker.Storage.LeaseStore.Ending, lease.Id, lease.Window.End.ToDateTimeOffset().ToUnixTimeMilliseconds());
        }
        await market.Broker.Services.GetRequiredService<FailoverDesk>().MoveLeasesAsync(outage, CancellationToken.None);
        var rerun = await market.BrokerAs(tenant).GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.Id });
        Assert.Equal([carrier.Id], rerun.Moves.Select(m => m.ToLeaseId));
        var tenantLeases = (await market.BrokerAs(tenant).ListLeasesAsync(new ListLeasesRequest { TenantId = tenant })).Leases;
        Assert.Equal(new HashSet<string> { lease.Id, carrier.Id }, tenantLeases.Select(l => l.Id).ToHashSet());

        // Both end; then every metered hour is at the site that ran it, at most once, none while A was down.
        var done = await events.UntilAsync(all =>
            all.OfType<LeaseEnded>().Any(e => e.Lease.Id == carrier.Id) && all.OfType<LeaseEnded>().Any(e => e.Lease.Id == lease.Id),
            TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1)); // the meter's last pass
        var usage = (await events.UntilAsync(_ => true, TimeSpan.FromSeconds(1))).OfType<UsageRecorded>()
            .Where(u => u.LeaseId == lease.Id || u.LeaseId == carrier.Id).ToList();
        var downFrom = WholeHours.Floor(outage.Start.ToDateTimeOffset());
        var atA = usage.Where(u => u.LeaseId == lease.Id).Select(u => u.Interval.Start.ToDateTimeOffset()).ToList();
        var atB = usage.Where(u => u.LeaseId == carrier.Id).Select(u => u.Interval.Start.ToDateTimeOffset()).ToList();
        output.WriteLine($"A billed {string.Join(", ", atA.Select(t => t.ToString("HH")))}; B billed {string.Join(", ", atB.Select(t => t.ToString("HH")))}");
        Assert.All(atA, t => Assert.True(t < downFrom, $"hour {t:u} billed at A, down from {downFrom:u}"));
        Assert.All(atB, t => Assert.True(t >= from, $"hour {t:u} billed at B before the move's {from:u}"));
        Assert.Equal(atA.Count, atA.Distinct().Count());
        Assert.Equal(atB.Count, atB.Distinct().Count());
        Assert.Equal((downFrom - start).TotalHours, atA.Count);
        Assert.Equal((start.AddHours(Hours) - from).TotalHours, atB.Count);
        Assert.True(from > downFrom, "the hour under way when A went down is lost, not moved");

        // The hour under way at A when it went down was lost: not billed, and credited by A's SLA.
        var lost = (await events.UntilAsync(_ => true, TimeSpan.FromSeconds(1))).OfType<UsageLost>().Where(u => u.LeaseId == lease.Id).ToList();
        Assert.Equal([downFrom], lost.Select(u => u.Interval.Start.ToDateTimeOffset()));
        Assert.Equal((outage.Id, 50), (lost[0].OutageId, lost[0].SlaCreditPercent));

        // The ledger: A's hours at A's price, B's at B's, less A's credit for the hour it lost.
        var credit = Units * 3.00m * 0.5m;
        var owed = Units * (atA.Count * 3.00m + atB.Count * 4.00m) - credit;
        Assert.Equal(owed, await Eventually.GetAsync(async () =>
            await market.BillingClient.BalanceAsync(Marketplace.Billing.V1.AccountKind.Tenant, tenant) is var due && due == owed ? (object)due : null,
            $"the tenant to owe {owed}"));
        var invoice = Assert.Single((await market.BillingAsTenant(tenant).ListInvoicesAsync(new ListInvoicesRequest { TenantId = tenant })).Invoices);
        var creditLine = Assert.Single(invoice.Lines, l => l.Kind == "credit");
        Assert.Equal((lease.Id, a.DatacenterId, -credit, 0.0), (creditLine.LeaseId, creditLine.DatacenterId, creditLine.Amount.ToDecimal(), creditLine.AcceleratorHours));
        Assert.Equal(owed, invoice.Total.ToDecimal());
        var statement = await market.BillingAsProvider(provider).GetProviderStatementAsync(new GetProviderStatementRequest { ProviderId = provider });
        Assert.Contains(statement.Lines, l => l.Kind == "credit" && l.Amount.ToDecimal() == -credit);

        // A is back, but it delivered 2 of the 3 hours it was leased for: a tenant asking for 0.9 goes to B.
        await market.ProviderAs(provider).EndOutageAsync(new EndOutageRequest { OutageId = outage.Id });
        var next = request.Clone();
        next.Window = new TimeWindow
        {
            Start = Timestamp.FromDateTimeOffset(WholeHours.Ceiling(market.Now).AddHours(2)),
            End = Timestamp.FromDateTimeOffset(WholeHours.Ceiling(market.Now).AddHours(2 + Hours)),
        };
        await Eventually.TrueAsync(async () => (await market.BrokerClient.TryQuoteAsync(next))?.Options[0].Placements[0].OfferId == a.Id,
            "A quoted again once back");
        next.MinReliability = 0.9;
        var careful = (await market.BrokerClient.TryQuoteAsync(next))!;
        Assert.All(careful.Options.SelectMany(o => o.Placements), p => Assert.Equal(b.Id, p.OfferId));
        Assert.Equal(1.0, careful.Options[0].Placements[0].Reliability);
        var why = Assert.Single(careful.Exclusions, e => e.OfferId == a.Id).Reason;
        Assert.StartsWith("reliability 0.667 < 0.9", why);
        var sites = (await market.ProviderClient.ListDataCentersAsync(new ListDataCentersRequest { ProviderId = provider })).Datacenters;
        Assert.Equal(2.0 / 3, sites.Single(d => d.Id == a.DatacenterId).Reliability, 3);
        Assert.Equal(1.0, sites.Single(d => d.Id == b.DatacenterId).Reliability);

        // Operators see it among the market's moves.
        var logged = (await market.BrokerClient.ListLeaseMovesAsync(new ListLeaseMovesRequest())).Moves.Where(m => m.LeaseId == lease.Id).ToList();
        Assert.NotEmpty(logged);
        Assert.All(logged, m => Assert.Equal((tenant, carrier.Id, false), (m.TenantId, m.Move.ToLeaseId, m.Preempted)));

        // The tenant sees the move on its lease.
        var after = await market.BrokerAs(tenant).GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.Id });
        var move = Assert.Single(after.Moves);
        Assert.Equal((outage.Id, carrier.Id), (move.OutageId, move.ToLeaseId));
    }

    [Fact]
    public async Task Finishes_a_report_cut_off_after_the_outage_was_stored()
    {
        // As a ReportOutage cut off (a client's deadline, a kill) between storing the outage and taking its
        // offer's hours down: the outage is there, its calendar still sells.
        var provider = fixture.Market.ProviderClient;
        var site = Samples.UniqueId("cut-site");
        await provider.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(site) });
        var offer = await provider.PublishOfferAsync(new PublishOfferRequest { Offer = Samples.Offer(site, 0.0077m, 8) });
        var outage = new Outage
        {
            Id = "outage-" + Guid.NewGuid().ToString("N")[..16], ProviderId = "test-provider", DatacenterId = site,
            Start = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Reason = "cut off", OfferIds = { offer.Id },
        };
        await fixture.Market.Provider.Services.GetRequiredService<Marketplace.Provider.Storage.OutageStore>().SaveAsync(outage);

        // The provider's recovery pass finishes it: no hour of the offer is free any more.
        await Eventually.TrueAsync(async () => (await provider.GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest()))
            .Offers.Single(o => o.Offer.Id == offer.Id).Free.All(run => run.Free == 0), "the offer's hours down");
    }

    [Fact]
    public async Task Answers_bad_outage_reports_with_a_clear_status()
    {
        var provider = fixture.Market.ProviderClient;
        var site = Samples.UniqueId("outage-site");
        await provider.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = Samples.DataCenter(site) });
        async Task<(StatusCode, string)> Refused(ReportOutageRequest r, ProviderService.ProviderServiceClient? as_ = null)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => (as_ ?? provider).ReportOutageAsync(r).ResponseAsync);
            return (e.StatusCode, e.Trailers.GetValue("field") ?? "");
        }

        Assert.Equal((StatusCode.InvalidArgument, "reason"), await Refused(new() { DatacenterId = site, Reason = new string('x', 100_000) }));
        Assert.Equal((StatusCode.InvalidArgument, "start"), await Refused(new() { DatacenterId = site, Start = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(31)) }));
        Assert.Equal((StatusCode.InvalidArgument, "expected_end"), await Refused(new()
        {
            DatacenterId = site, Start = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-5)),
            ExpectedEnd = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-10)),
        }));
        Assert.Equal(StatusCode.NotFound, (await Refused(new() { DatacenterId = site, OfferId = "no-such-offer" })).Item1);
        Assert.Equal(StatusCode.NotFound, (await Refused(new() { DatacenterId = "no-such-site" })).Item1);
        var other = new ProviderService.ProviderServiceClient(MarketUnderTest.ChannelAs(fixture.Market.Provider,
            MarketUnderTest.TokenFor(MarketRoles.Provider, "another-provider")));
        Assert.Equal(StatusCode.PermissionDenied, (await Refused(new() { DatacenterId = site }, other)).Item1);
        var ended = await Assert.ThrowsAsync<RpcException>(() => provider.EndOutageAsync(new EndOutageRequest { OutageId = new string('9', 100_000) }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ended.StatusCode);

        // A real one ends once; ending it again is the same answer.
        var outage = await provider.ReportOutageAsync(new ReportOutageRequest { DatacenterId = site, Reason = "cooling" });
        var first = await provider.EndOutageAsync(new EndOutageRequest { OutageId = outage.Id });
        var second = await provider.EndOutageAsync(new EndOutageRequest { OutageId = outage.Id });
        Assert.Equal(first.EndedAt, second.EndedAt);
        Assert.Contains((await provider.ListOutagesAsync(new ListOutagesRequest { DatacenterId = site })).Outages, o => o.Id == outage.Id && o.EndedAt is not null);
    }
}
