using Grpc.Net.Client;
using Marketplace.Bench.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.Testing.Market;

namespace Marketplace.Bench.Scenarios;

// How long the provider takes to hand over its whole catalog (the broker waits for one at every start), at
// 1,000 and 10,000 offers, one caller: an absolute figure with a goal, beside an echo whose reply carries the
// same number of bytes, so the ratio is the provider's work beyond moving the bytes.
public sealed class CatalogSnapshots : IScenario
{
    const int FirstDatabase = 10; // 10 and 11; the bench's other scenarios use 0-9 and 12
    const int OffersPerSite = 20;
    static readonly (int Offers, double GoalSeconds)[] Sizes = [(1_000, 0.1), (10_000, 1.0)];
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(600);

    public string Name => "snapshot";
    public string Description => "provider GetCatalogSnapshot time at 1,000 and 10,000 offers (goals < 0.1 s and < 1 s), one caller";
    public string Baseline => "a bare gRPC echo whose reply carries as many bytes as the snapshot, one caller, in the same rounds";

    public async Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct)
    {
        var servers = await context.ServersAsync(ct);
        await using var echo = await RunningService.StartAsync(EchoServer.Build, MarketSettings.For(servers, 0, "bench-echo"), ct);
        using var echoChannel = AnySizeChannel(echo.Address);
        var echoClient = new Echo.EchoClient(echoChannel);
        var rows = new List<ScenarioResult>();
        var notes = new List<string>();
        foreach (var (size, i) in Sizes.Select((s, i) => (s, i)))
        {
            var catalog = new SyntheticCatalog(MarketReference.Load());
            var sites = catalog.DataCenters((size.Offers + OffersPerSite - 1) / OffersPerSite);
            var offers = catalog.Offers(sites, OffersPerSite, SyntheticCatalog.NextWholeHour(DateTimeOffset.UtcNow)).Take(size.Offers).ToList();
            await MarketSettings.EmptyDatabaseAsync(servers, FirstDatabase + i);
            await using var provider = await RunningService.StartAsync(Marketplace.Provider.Program.Build,
                MarketSettings.For(servers, FirstDatabase + i, $"bench-snapshot-{size.Offers}-provider"), ct);
            using var channel = AnySizeChannel(provider.Address);
            var client = new ProviderService.ProviderServiceClient(channel);
            await CatalogPublisher.PublishAsync(client, sites, offers, ct);

            // One checked call: the snapshot must hold the whole catalog, and its size sizes the echo's reply.
            var snapshot = await client.GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest(), deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
            var bytes = snapshot.CalculateSize();
            var echoRequest = new EchoRequest { Text = "snapshot", ReplyBytes = bytes };
            var row = await LoadRunner.CompareAsync(
                new LoadTarget($"echo of {bytes:N0} bytes", token => echoClient.SayAsync(echoRequest,
                    deadline: DateTime.UtcNow + Deadline, cancellationToken: token).ResponseAsync, Concurrency: 1),
                new LoadTarget("provider GetCatalogSnapshot", token => client.GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest(),
                    deadline: DateTime.UtcNow + Deadline, cancellationToken: token).ResponseAsync, Concurrency: 1),
                context.Options, ct);
            var seconds = row.Subject.P50Ms / 1000;
            rows.Add(row with { Work = $"{size.Offers:N0} offers" });
            notes.Add($"{size.Offers:N0} offers: a snapshot takes {seconds:0.000} s (median p50), goal < {size.GoalSeconds} s: " +
                      $"{(seconds < size.GoalSeconds ? "met" : "NOT MET")}; {snapshot.Offers.Count:N0} offers, {bytes:N0} bytes");
        }
        return new ScenarioOutcome(rows) { Notes = notes };
    }

    // The bench's own channels take a reply of any size (gRPC's default limit is 4 MB, and 10,000 offers are
    // more): they time the provider and the bytes, not the limit. Calls as an operator.
    static GrpcChannel AnySizeChannel(Uri address) =>
        TestChannels.For(address, MarketUnderTest.TokenFor(MarketRoles.Operator, "bench-operator"), anyReplySize: true);
}
