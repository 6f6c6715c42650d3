using Grpc.Net.Client;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Replicas;
using Marketplace.Testing.Market;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Faults;

// Two processes of one broker on the same Redis and queues. Each has every offer in its own catalog: a new
// offer and its price change reach both (each replica has its capacity queue). The work that must run once
// (lease clock, accept recovery, outbox relay, auction clock) is held by one replica at a time, and when
// that one is killed with SIGKILL the survivor takes each over within seconds.
[Collection(MarketCollection.Name)]
public sealed class Two_broker_replicas(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 12; // shared with the other broker-kill tests (one collection)
    const string Model = "DCU-Z100", Region = "shaanxi"; // no other test sells these there
    static readonly string[] RunOnce = ["Marketplace.Broker.Leasing.LeaseClock", "Marketplace.Broker.Leasing.AcceptRecovery",
        "Marketplace.Broker.Leasing.OutboxRelay", "Marketplace.Broker.Exchange.AuctionClock"];
    static readonly string Tenant = MarketUnderTest.TokenFor(MarketRoles.Tenant, "tenant-two-replicas", TimeSpan.FromHours(1));
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Both_see_every_offer_and_one_runs_the_clock_until_it_dies()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;
        await using var first = await IsolatedBroker.StartAsync(_market, Database, ct: ct);
        await using var second = await first.StartReplicaAsync(ct);
        var processes = new[] { first.Process, second };
        using var channels = new Channels(processes.Select(p => TestChannels.For(p.Address, Tenant)).ToArray());

        // A new offer, then its price change, reach both replicas' catalogs within 5 s.
        var site = Samples.DataCenter(Samples.UniqueId("replica-site"));
        (site.RegionId, site.HubId, site.City) = (Region, "", "Xi'an");
        await _market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = site }, cancellationToken: ct);
        var published = Samples.Offer(site.Id, 3.00m, count: 8);
        published.AcceleratorModel = Model;
        var offer = await _market.ProviderClient.PublishOfferAsync(new PublishOfferRequest { Offer = published }, cancellationToken: ct);
        await BothQuoteAsync(channels, offer.Id, 3.00m);
        await _market.ProviderClient.ChangeOfferAsync(new ChangeOfferRequest { OfferId = offer.Id, PricePerHour = Money.FromDecimal(2.50m, "CNY") },
            cancellationToken: ct);
        await BothQuoteAsync(channels, offer.Id, 2.50m);

        // Each run-once work has one holder, one of the two.
        var pids = processes.Select(p => p.ProcessId).ToList();
        var holders = await Eventually.GetAsync(async () =>
        {
            var found = await Task.WhenAll(RunOnce.Select(w => HolderPidAsync(first, w)));
            return found.All(pids.Contains) ? found : null;
        }, "every run-once work held by a replica", TimeSpan.FromSeconds(20));
        output.WriteLine(string.Join("; ", RunOnce.Zip(holders, (w, p) => $"{w.Split('.')[^1]} on {p}")));

        // The lease clock's holder dies: the survivor holds every run-once work within the interval plus the grace.
        var dying = processes.Single(p => p.ProcessId == holders[0]);
        var survivor = processes.Single(p => p != dying);
        await dying.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        await Eventually.TrueAsync(async () =>
            (await Task.WhenAll(RunOnce.Select(w => HolderPidAsync(first, w)))).All(pid => pid == survivor.ProcessId),
            "the survivor holding every run-once work", TimeSpan.FromSeconds(15));
        output.WriteLine($"taken over {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:0.0} s after the kill");
    }

    // The process id in the holder's replica id (host-pid-random).
    static async Task<int> HolderPidAsync(IsolatedBroker broker, string work)
    {
        var holder = (string?)await broker.Store.StringGetAsync(RunnerLease.KeyOf(work));
        var parts = holder?.Split('-');
        return parts is { Length: >= 3 } && int.TryParse(parts[^2], out var pid) ? pid : 0;
    }

    async Task BothQuoteAsync(Channels channels, string offerId, decimal price)
    {
        var request = new QuoteRequest
        {
            TenantId = "tenant-two-replicas", AcceleratorHours = new AcceleratorHours { AcceleratorModel = Model, Hours = 4 }, Accelerators = 2,
            Workload = WorkloadKind.Batch, AllowedRegionIds = { Region },
            Window = new TimeWindow
            {
                Start = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Samples.NextWholeHour().AddHours(1)),
                End = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Samples.NextWholeHour().AddHours(30)),
            },
        };
        foreach (var channel in channels.All)
            await Eventually.TrueAsync(async () => (await new BrokerService.BrokerServiceClient(channel).TryQuoteAsync(request))?.Options
                .Any(o => o.Placements.All(p => p.OfferId == offerId && p.PricePerHour.ToDecimal() == price)) == true,
                $"{offerId} at {price} quoted by {channel.Target}", TimeSpan.FromSeconds(5));
    }

    sealed class Channels(GrpcChannel[] all) : IDisposable
    {
        public GrpcChannel[] All => all;

        public void Dispose()
        {
            foreach (var channel in all)
                channel.Dispose();
        }
    }
}
