using System.Diagnostics;
using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Integration.Tests.Provider;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Faults;

// A broker given two provider processes (static:///a,b) spreads its calls over both, round-robin, on one
// channel. When one is killed with SIGKILL while accepts are in flight, every accept still gets its lease:
// a hold that met the dead process is retried on the other (it is idempotent), and no call is sent to it
// again. An accept makes one hold call a placement (confirmed into the lease as it is taken). Replay with MARKETPLACE_TEST_SEED=<seed>.
[Collection(MarketCollection.Name)]
public sealed class A_broker_over_two_provider_replicas(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 12; // shared with the other broker-kill tests (one collection)
    const decimal Band = 0.0083m; // no other test quotes there
    const int Before = 8, During = 12, After = 6, UnitsEach = 2;
    static readonly string[] HoldCalls = ["HoldCapacity", "ConfirmHold"];
    readonly MarketUnderTest _market = fixture.Market;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    int _inFlight;

    [Fact]
    public async Task Spreads_calls_over_both_and_keeps_accepting_when_one_is_killed()
    {
        var seed = FaultSettings.NewSeed();
        var random = new Random(seed);
        Say($"seed {seed}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;

        await using var first = await ProviderReplica.StartAsync(_market, ct);
        await using var second = await ProviderReplica.StartAsync(_market, ct);
        var offer = await _market.OfferInBandAsync(Band, count: 2 * UnitsEach * (Before + During + After));
        await using var broker = await IsolatedBroker.StartAsync(_market, Database, null, ct,
            ("Broker:ProviderAddress", $"static:///{first.HostPort},{second.HostPort}"));
        Say($"providers on {first.HostPort} and {second.HostPort}; offer {offer.Id}");

        // Before: accepts one after another; round-robin sends their holds to both.
        var leases = new List<Lease>();
        foreach (var quote in await QuotesAsync(broker, offer, "before", Before, random))
            leases.Add(await AcceptAsync(broker, quote, ct));
        var spread = await Eventually.GetAsync(async () =>
        {
            var counts = new[] { await first.CallsAsync(HoldCalls), await second.CallsAsync(HoldCalls) };
            return counts.Sum() >= Before ? counts : null;
        }, $"the {Before} holds counted by the providers");
        Say($"holds served: {spread[0]} and {spread[1]}");
        // Other calls on the channel take turns too, so not exactly half each.
        Assert.All(spread, count => Assert.True(count >= Before / 4,
            $"one provider served {count} of {spread.Sum()} holds: the calls were not spread"));

        // During: accepts arrive over two seconds; one provider is killed while some are in flight.
        var (dying, survivor) = random.Next(2) == 0 ? (first, second) : (second, first);
        var quotes = await QuotesAsync(broker, offer, "during", During, random);
        var killAfter = TimeSpan.FromMilliseconds(random.Next(300, 1700));
        var accepting = Task.WhenAll(quotes.Select(async quote =>
        {
            await Task.Delay(random.Next(2000), ct);
            return await AcceptAsync(broker, quote, ct);
        }).ToList());
        await Task.Delay(killAfter, ct);
        int caught;
        while ((caught = Volatile.Read(ref _inFlight)) < 2 && !accepting.IsCompleted)
            await Task.Delay(1, ct);
        await dying.Process.KillAsync();
        Say($"kill -9 the provider on {dying.HostPort} {killAfter.TotalMilliseconds} ms into the accepts, {caught} in flight");
        leases.AddRange(await accepting);
        Assert.True(dying.Process.HasExited, "the killed provider still runs");

        // After: new quotes and accepts, all served by the survivor.
        var survivorBefore = await survivor.CallsAsync(HoldCalls);
        foreach (var quote in await QuotesAsync(broker, offer, "after", After, random))
            leases.Add(await AcceptAsync(broker, quote, ct));
        await Eventually.TrueAsync(async () => await survivor.CallsAsync(HoldCalls) >= survivorBefore + After,
            $"the survivor to serve every hold of the last {After} accepts");

        // Every lease told is stored, on its own hold at the offer.
        var stored = await broker.StoredLeasesAsync(leases.Select(l => l.Id));
        Assert.Equal(leases.Select(l => l.Id).Order(), stored.Select(l => l.Id).Order());
        Assert.All(stored, l => Assert.All(l.Allocations, a => Assert.StartsWith(offer.Id + "~", a.HoldId)));
        Assert.Equal(stored.Count, stored.SelectMany(l => l.Allocations).Select(a => a.HoldId).Distinct().Count());
        var slots = await _market.ProviderClient.SlotsAsync(offer);
        Assert.All(slots, s => Assert.True(s.Held + s.Leased <= s.Published, $"oversold at {s.Start}"));
        Say($"{leases.Count} leases, every accept answered at the first ask");
    }

    // The form a cluster uses (dns:///provider-headless:8080): the name's every address; here localhost's one.
    [Fact]
    public async Task Finds_its_provider_by_a_dns_name()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        await using var provider = await ProviderReplica.StartAsync(_market, ct);
        var offer = await _market.OfferInBandAsync(Band, count: 8);
        await using var broker = await IsolatedBroker.StartAsync(_market, Database, null, ct,
            ("Broker:ProviderAddress", $"dns:///localhost:{provider.Process.Port}"));

        var quote = (await QuotesAsync(broker, offer, "dns", 1, new Random(0))).Single();
        var lease = await AcceptAsync(broker, quote, ct);

        Assert.NotNull(await broker.StoredLeaseAsync(lease.Id));
        await Eventually.TrueAsync(async () => await provider.CallsAsync(HoldCalls) >= 1, "the hold served by the provider");
    }

    async Task<List<Quote>> QuotesAsync(IsolatedBroker broker, Offer offer, string phase, int count, Random random)
    {
        var quotes = new List<Quote>();
        for (var t = 0; t < count; t++)
            quotes.Add(await _market.QuoteOnAsyncWith(broker.Client,
                BrokerSteps.Batch($"tenant-replicas-{phase}-{t}-{random.Next(1_000_000)}", UnitsEach, 1 + random.Next(2), Band), offer));
        return quotes;
    }

    // One ask per accept: the broker's own retries, not the tenant's, must carry it past the kill.
    async Task<Lease> AcceptAsync(IsolatedBroker broker, Quote quote, CancellationToken ct)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            return await broker.Client.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = "replicas-" + quote.Id },
                deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
        }
        catch (RpcException e)
        {
            throw new Xunit.Sdk.XunitException($"the accept of {quote.Id} failed: {e.Status}");
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    void Say(string line) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {line}");
}
