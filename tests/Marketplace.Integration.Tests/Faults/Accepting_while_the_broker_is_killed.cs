using System.Diagnostics;
using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Integration.Tests.Provider;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Faults;

// Tenants accept scarce capacity through a broker that is killed with SIGKILL at random moments and
// started again; each tenant retries its own idempotency key until it gets an answer. Once the recovery
// pass has run: no confirmed hold without a lease that names it, no capacity leased that no lease holds,
// no lease billing never heard of, and one lease per key. Replay with MARKETPLACE_TEST_SEED=<seed>;
// MARKETPLACE_FAULT_SCALE multiplies tenants and kills.
[Collection(MarketCollection.Name)]
public sealed class Accepting_while_the_broker_is_killed(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 12;
    const decimal Band = 0.0071m;
    const int OfferUnits = 48, UnitsEach = 4;
    static readonly TimeSpan Spread = TimeSpan.FromSeconds(8); // tenants arrive over this long, the kills fall within it
    readonly MarketUnderTest _market = fixture.Market;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    int _inFlight;

    [Fact]
    public async Task Leaves_no_confirmed_hold_without_a_lease_and_no_lease_without_its_event()
    {
        var seed = FaultSettings.NewSeed();
        var scale = FaultSettings.Scale;
        var (tenants, kills) = (64 * scale, 4 * scale);
        Say($"seed {seed}, {tenants} tenants for {2 * OfferUnits / UnitsEach} leases' worth of capacity, {kills} kills");
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;

        var offers = new[] { await _market.OfferInBandAsync(Band, OfferUnits), await _market.OfferInBandAsync(Band, OfferUnits) };
        await using var broker = await IsolatedBroker.StartAsync(_market, Database, ct: ct);
        var quotes = new List<Quote>();
        for (var t = 0; t < tenants; t++)
            quotes.Add(await _market.QuoteOnAsyncWith(broker.Client,
                BrokerSteps.Batch($"tenant-kill9-{t}", UnitsEach, 1 + random.Next(3), Band), offers[t % 2]));
        Say($"{quotes.Count} quotes");

        // Act: every tenant keeps asking with its key; the broker dies under them now and then.
        var answers = quotes.ToDictionary(q => q.Id, _ => new List<string>());
        using var settled = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var chaos = Task.Run(() => KillAndRestartAsync(broker, kills, new Random(random.Next()), settled.Token), ct);
        var arrivals = quotes.ToDictionary(q => q.Id, _ => TimeSpan.FromMilliseconds(random.Next((int)Spread.TotalMilliseconds)));
        var accepting = Task.WhenAll(quotes.Select(async quote =>
        {
            await Task.Delay(arrivals[quote.Id], ct);
            return await AcceptUntilAnsweredAsync(broker, quote, answers[quote.Id], ct);
        }));
        if (await Task.WhenAny(accepting, chaos) == chaos && chaos.IsFaulted)
            await chaos; // a restart failed: say why rather than wait for the tenants
        var finals = await accepting;
        settled.Cancel(); // every tenant has its answer: no more kills
        var killed = await chaos;
        if (broker.Process.HasExited)
            await broker.StartAgainAsync(ct);
        Say($"answers: {finals.Count(f => f == StatusCode.OK)} leases, {finals.Count(f => f == StatusCode.FailedPrecondition)} " +
            $"capacity moved, after {answers.Values.Sum(a => a.Count)} calls and {killed} kills; " +
            $"{answers.Values.Count(a => a.Count > 1)} tenants had to ask again");

        // The recovery pass undoes what the kills left pending; what was committed leaves through the outbox.
        await Eventually.TrueAsync(async () => await broker.PendingAcceptsAsync() == 0 && await broker.UnsentEventsAsync() == 0,
            "no accept left pending and no event left unsent", TimeSpan.FromSeconds(30));
        var provider = broker.FixtureStore; // the fixture's provider and billing write database 0
        await Eventually.TrueAsync(async () => (await HoldsAsync(provider, offers)).All(h => h.State != "HELD"),
            "every unconfirmed hold expired or released", TimeSpan.FromSeconds(30));

        // Assert: one lease per key, and a lease exactly where the tenant was told so.
        var leases = await broker.StoredLeasesAsync(quotes.Select(q => LeaseIdOf(q)));
        foreach (var quote in quotes)
        {
            var got = answers[quote.Id].Where(a => a.StartsWith("lease-", StringComparison.Ordinal)).Distinct().ToList();
            Assert.True(got.Count <= 1, $"quote {quote.Id} got leases {string.Join(", ", got)}");
            var stored = leases.SingleOrDefault(l => l.QuoteId == quote.Id);
            Assert.True((stored is not null) == (got.Count == 1),
                $"quote {quote.Id}: told {string.Join(" / ", answers[quote.Id])}; stored lease: {stored?.Id ?? "none"}");
        }

        // Every confirmed hold is named by a stored lease that holds it; nothing else is leased.
        var holds = await HoldsAsync(provider, offers);
        var leasedHolds = leases.SelectMany(l => l.Allocations).Select(a => a.HoldId).ToHashSet();
        var stranded = holds.Where(h => h.State == "CONFIRMED" && !leasedHolds.Contains(h.HoldId)).ToList();
        Assert.True(stranded.Count == 0, $"confirmed holds no lease names: {string.Join(", ", stranded)}");
        Assert.All(leasedHolds, id => Assert.Contains(holds, h => h.HoldId == id && h.State == "CONFIRMED"));
        foreach (var offer in offers)
        {
            var slots = await _market.ProviderClient.SlotsAsync(offer);
            Assert.All(slots, s => Assert.True(s.Held + s.Leased <= s.Published, $"oversold at {s.Start}"));
            foreach (var slot in slots)
            {
                var hour = slot.Start.ToDateTimeOffset().ToUnixTimeSeconds() / 3600;
                var expected = holds.Where(h => h.State == "CONFIRMED" && h.HoldId.StartsWith(offer.Id + "~", StringComparison.Ordinal)
                                                && h.FirstSlot <= hour && hour <= h.LastSlot).Sum(h => h.Units);
                Assert.True(expected == slot.Leased, $"offer {offer.Id} at {slot.Start}: {slot.Leased} leased, leases hold {expected}");
            }
        }

        // Every lease reached billing: its LeaseCreated was committed with it and relayed.
        var billing = broker.FixtureStore;
        await Eventually.TrueAsync(async () =>
        {
            var known = await Task.WhenAll(leases.Select(l => billing.KeyExistsAsync($"billing:{{b}}:lease:{l.Id}")));
            return known.All(k => k);
        }, $"billing to know all {leases.Count} leases", TimeSpan.FromSeconds(30));
        Say($"{leases.Count} leases, all known to billing; holds on record, none stranded: " +
            string.Join(", ", holds.GroupBy(h => h.State).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}")));
    }

    // Asks with the same key until the answer is a lease or a refusal that a retry cannot change.
    async Task<StatusCode> AcceptUntilAnsweredAsync(IsolatedBroker broker, Quote quote, List<string> answers, CancellationToken ct)
    {
        var request = new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = "kill9-" + quote.Id };
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                Interlocked.Increment(ref _inFlight);
                var lease = await broker.Client.AcceptQuoteAsync(request, deadline: DateTime.UtcNow.AddSeconds(8), cancellationToken: ct);
                lock (answers) answers.Add(lease.Id);
                return StatusCode.OK;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal
                                             or StatusCode.Cancelled or StatusCode.Unknown)
            {
                lock (answers) answers.Add(e.StatusCode.ToString()); // the process died under the call: ask again
                await Task.Delay(100, ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                lock (answers) answers.Add(e.StatusCode.ToString());
                return e.StatusCode;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    // Each kill falls while accepts are in flight, a random few milliseconds after they were seen.
    async Task<int> KillAndRestartAsync(IsolatedBroker broker, int kills, Random random, CancellationToken settled)
    {
        var killed = 0;
        try
        {
            for (; killed < kills; killed++)
            {
                await Task.Delay(random.Next(200, (int)Spread.TotalMilliseconds / kills), settled);
                while (Volatile.Read(ref _inFlight) < 2)
                    await Task.Delay(1, settled);
                await Task.Delay(random.Next(0, 40), settled);
                var caught = Volatile.Read(ref _inFlight);
                await broker.KillAsync();
                Say($"kill -9 the broker with {caught} accepts in flight");
                await Task.Delay(random.Next(100, 1200), CancellationToken.None);
                await broker.StartAgainAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (settled.IsCancellationRequested)
        {
        }
        return killed;
    }

    static async Task<List<ProviderHoldRecord>> HoldsAsync(IDatabase provider, IEnumerable<Offer> offers) =>
        (await Task.WhenAll(offers.Select(o => ProviderHoldRecord.ForOfferAsync(provider, o.Id)))).SelectMany(h => h).ToList();

    static string LeaseIdOf(Quote quote) => $"lease-{quote.Id}";

    void Say(string line) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {line}");
}
