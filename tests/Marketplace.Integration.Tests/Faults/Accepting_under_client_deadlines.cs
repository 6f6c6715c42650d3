using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Integration.Tests.Provider;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Faults;

// Many tenants race for a little capacity the way real clients do: every accept carries a deadline of the
// client's own, often shorter than the holds and confirms take, and a client that times out asks again at
// once with the same idempotency key (some ask two or three times at once). Once it all settles: nothing
// oversold, no hold left, every leased unit in a lease and every lease's units leased, one lease per key
// whatever each call was told, and every lease known to billing.
// Replay with MARKETPLACE_TEST_SEED=<the printed seed>; MARKETPLACE_FAULT_SCALE multiplies tenants and offers.
[Collection(MarketCollection.Name)]
public sealed class Accepting_under_client_deadlines(MarketFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    const int Database = 11; // this test's broker (see FaultSettings)
    static readonly decimal[] Bands = [0.0091m, 0.0092m, 0.0093m]; // offers in each; no other test quotes there
    const int OfferUnits = 16;
    const int TenantsAtScaleOne = 150;
    const int TenantsAtOnce = 32;
    const int TriesWithADeadline = 20;
    static readonly TimeSpan ShortestDeadline = TimeSpan.FromMilliseconds(20), LongestDeadline = TimeSpan.FromSeconds(4);
    static readonly TimeSpan HoldTtl = TimeSpan.FromSeconds(5);
    const string PendingAccepts = Marketplace.Broker.Storage.BrokerKeys.Tag + ":accepts:pending"; // AcceptStore's

    readonly MarketUnderTest _market = fixture.Market;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    ConnectionMultiplexer _redis = null!;

    [Fact]
    public async Task Sell_only_what_there_is_and_give_every_key_one_lease_that_billing_knows()
    {
        var seed = FaultSettings.NewSeed();
        var scale = FaultSettings.Scale;
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;

        var offers = new List<Offer>();
        foreach (var band in Bands)
            for (var i = 0; i < scale; i++)
                offers.Add(await _market.OfferInBandAsync(band, OfferUnits));
        await using var broker = await StartBrokerAsync(); // after the offers: its catalog starts from the snapshot
        var client = new BrokerService.BrokerServiceClient(broker.Channel);
        var tenants = Enumerable.Range(0, TenantsAtScaleOne * scale).Select(i => Tenant.Draw(i, offers, random)).ToList();
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (tenant, _) => tenant.Quote = await _market.QuoteOnAsyncWith(client, tenant.QuoteRequest(), tenant.Offer));
        Say($"seed {seed}, scale {scale}: {tenants.Count} tenants ({tenants.Count(t => t.CallerSeeds.Length > 1)} calling " +
            $"2-3 times at once) want {tenants.Sum(t => t.Units * t.Hours)} unit-hours of {offers.Count} offers x {OfferUnits} units");

        // Act: every tenant accepts like an impatient client, TenantsAtOnce of them at a time.
        var oversold = new ConcurrentBag<string>();
        using var watching = new CancellationTokenSource();
        var watch = _market.ProviderClient.WatchForOversellAsync(offers, oversold, watching.Token);
        var accepting = Stopwatch.StartNew();
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = TenantsAtOnce, CancellationToken = ct },
            async (tenant, _) => tenant.Finals = await Task.WhenAll(tenant.CallerSeeds.Select(callerSeed =>
            {
                var deadlines = new Random(callerSeed);
                return client.AcceptLikeAnImpatientClientAsync(tenant.AcceptRequest,
                    () => AcceptSteps.ClientDeadline(deadlines, ShortestDeadline, LongestDeadline),
                    TriesWithADeadline, _clock, tenant.Answers.Enqueue, ct);
            })));
        await watching.CancelAsync();
        await watch;
        var answers = tenants.SelectMany(t => t.Answers).ToList();
        var callers = tenants.Sum(t => t.CallerSeeds.Length);
        Say($"{answers.Count} calls in {accepting.Elapsed.TotalSeconds:0.0} s: {Count(answers, StatusCode.OK)} OK, " +
            $"{Count(answers, StatusCode.FailedPrecondition)} FailedPrecondition, {Count(answers, StatusCode.DeadlineExceeded)} " +
            $"deadline hits, {Count(answers, StatusCode.Unavailable)} Unavailable, {Count(answers, StatusCode.Cancelled)} Cancelled, " +
            $"{answers.Count(Unexpected)} other; {answers.Count - callers} retries, {answers.Count(a => a.Deadline is null)} " +
            $"calls without a deadline after {TriesWithADeadline} tries; {tenants.Count(LeasedAfterADeadline)} tenants " +
            "got their lease only after a deadline had cut a call short");

        // Every answer is one an accept may give, and no moment had more taken than published.
        Assert.True(!answers.Any(Unexpected), $"answers no accept should give: {string.Join("; ", answers.Where(Unexpected).Take(10))}");
        Assert.True(oversold.IsEmpty, $"oversold while accepting: {string.Join("; ", oversold.Take(10))}");

        // Settle: the broker finishes or undoes every accept and relays every event; unconfirmed holds expire.
        var brokerStore = _redis.GetDatabase(Database);
        await Eventually.TrueAsync(async () => await brokerStore.SortedSetLengthAsync(PendingAccepts) == 0
                                               && await brokerStore.SortedSetLengthAsync(OutboxStore.Due) == 0,
            "no accept left pending and no event left in the outbox", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => (await SlotsAsync(offers)).Values.All(slots => slots.All(slot => slot.Held == 0)),
            "every hold confirmed, released or expired", HoldTtl + TimeSpan.FromSeconds(10));
        Say("settled");

        // (1) Nothing oversold and nothing held once settled.
        var slotsOf = await SlotsAsync(offers);
        foreach (var (offerId, slots) in slotsOf)
            Assert.All(slots, slot =>
            {
                Assert.True(slot.Held + slot.Leased <= slot.Published, $"{offerId} oversold at {slot.Start}");
                Assert.True(slot.Held == 0, $"{offerId} still holds {slot.Held} at {slot.Start}");
            });

        // (2) The leases account for every leased unit, slot by slot, and nothing else is leased.
        var leases = (await Task.WhenAll(tenants.Select(async t =>
                (Tenant: t, Lease: await client.LeaseOrNullAsync(LeaseStore.IdFor(t.Quote.Id))))))
            .Where(l => l.Lease is not null).Select(l => (l.Tenant, Lease: l.Lease!)).ToList();
        foreach (var (tenant, lease) in leases)
        {
            var allocation = Assert.Single(lease.Allocations);
            Assert.Equal((tenant.Offer.Id, tenant.Units), (allocation.OfferId, allocation.Units));
        }
        foreach (var (offerId, slots) in slotsOf)
            foreach (var slot in slots)
            {
                var inLeases = leases.Where(l => l.Tenant.Offer.Id == offerId && Covers(l.Tenant.Quote.Placements[0].Window, slot.Start))
                    .Sum(l => l.Lease.Allocations[0].Units);
                Assert.True(inLeases == slot.Leased, $"{offerId} at {slot.Start}: the provider has {slot.Leased} leased, the leases {inLeases}");
            }
        Say($"{leases.Count} leases of {tenants.Count} tenants, {leases.Sum(l => l.Tenant.Units * l.Tenant.Hours)} unit-hours; " +
            $"{slotsOf.Values.Sum(slots => slots.Count(slot => slot.Free == 0))} slots sold out");

        // (3) A key told of a lease was told of that one only, never refused (one request, one answer), and is
        // told it again; a key refused has no lease and an open quote.
        var leased = leases.ToDictionary(l => l.Tenant, l => l.Lease);
        foreach (var tenant in tenants)
        {
            var told = tenant.Answers.Where(a => a.LeaseId is not null).Select(a => a.LeaseId!).Distinct().ToList();
            var history = $"quote {tenant.Quote.Id} (key {tenant.AcceptRequest.IdempotencyKey}): {tenant.History}";
            Assert.True(told.Count <= 1, $"told of {told.Count} leases: {history}");
            Assert.True(leased.ContainsKey(tenant) == (told.Count == 1),
                $"{(leased.ContainsKey(tenant) ? "a lease nobody was told of" : "told of a lease that does not exist")}: {history}");
            if (told.Count == 1)
            {
                Assert.Equal(leased[tenant].Id, told[0]);
                Assert.True(tenant.Answers.All(a => a.Status != StatusCode.FailedPrecondition), $"both leased and refused: {history}");
            }
            else
            {
                Assert.True(tenant.Finals.All(f => f.Status == StatusCode.FailedPrecondition), $"no final answer: {history}");
                var quote = await client.GetQuoteAsync(new GetQuoteRequest { QuoteId = tenant.Quote.Id });
                Assert.True(quote.State == QuoteState.Open, $"refused, but the quote is {quote.State}: {history}");
            }
        }
        var replays = await Task.WhenAll(leases.Select(async l => (l.Lease.Id, Again: (await client.AcceptQuoteAsync(l.Tenant.AcceptRequest)).Id)));
        Assert.All(replays, r => Assert.Equal(r.Id, r.Again));

        // (4) Every lease reached billing: its LeaseCreated was committed with it and relayed.
        var billing = _redis.GetDatabase(0); // the fixture's in-process billing
        var unknown = leases.Select(l => l.Lease.Id).ToList();
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                var known = await Task.WhenAll(unknown.Select(id => billing.KeyExistsAsync($"billing:{{b}}:lease:{id}")));
                unknown = unknown.Where((_, i) => !known[i]).ToList();
                return unknown.Count == 0;
            }, "billing to know every lease", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {unknown.Count} of {leases.Count} never reached it, e.g. {string.Join(", ", unknown.Take(5))}", e);
        }
        Say($"every lease known to billing; done in {_clock.Elapsed.TotalSeconds:0.0} s");
    }

    // A broker of its own on the fixture's provider and billing: its own Redis database and capacity queue (so it
    // gets every capacity event rather than half), and short holds and budgets so the test settles in seconds.
    Task<RunningService> StartBrokerAsync() => _market.StartBrokerAsync(
        ("ConnectionStrings:Redis", $"{_market.Servers.RedisConnectionString},defaultDatabase={Database}"),
        ("Bus:EndpointPrefix", $"broker-deadlines-{Guid.NewGuid():N}"[..25]),
        ("Broker:ProviderAddress", _market.Provider.Address.ToString()),
        ("Broker:BillingAddress", _market.Billing.Address.ToString()),
        ("Broker:HoldTtl", HoldTtl.ToString()),
        ("Broker:AcceptTimeout", "00:00:02"), // under the hold TTL, as in production
        ("Broker:AcceptStaleAfter", "00:00:03"),
        ("Broker:AcceptRecoveryInterval", "00:00:01"),
        ("Broker:OutboxRelayInterval", "00:00:00.500"));

    async Task<Dictionary<string, IReadOnlyList<CapacitySlot>>> SlotsAsync(IEnumerable<Offer> offers)
    {
        var slots = new Dictionary<string, IReadOnlyList<CapacitySlot>>();
        foreach (var offer in offers)
            slots[offer.Id] = await _market.ProviderClient.SlotsAsync(offer);
        return slots;
    }

    static bool Covers(TimeWindow window, Timestamp slotStart) => window.Start <= slotStart && slotStart < window.End;

    static int Count(IEnumerable<AcceptAnswer> answers, StatusCode status) => answers.Count(a => a.Status == status);

    // The accept went on without the client: a retry found its outcome.
    static bool LeasedAfterADeadline(Tenant tenant) =>
        tenant.Answers.Any(a => a.LeaseId is not null) && tenant.Answers.OrderBy(a => a.At).First().Status == StatusCode.DeadlineExceeded;

    static bool Unexpected(AcceptAnswer answer) => answer.Status is not (StatusCode.OK or StatusCode.FailedPrecondition) && !answer.ToRetry;

    void Say(string line) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {line}");

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(_market.Servers.RedisConnectionString);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    // One tenant: what it asks for, its quote, and every answer its callers (one, or two or three at once) heard.
    sealed class Tenant(string id, Offer offer, int units, int hours, int startAfterHours, int[] callerSeeds)
    {
        public Offer Offer => offer;
        public int Units => units;
        public int Hours => hours;
        public int[] CallerSeeds => callerSeeds;
        public Quote Quote { get; set; } = null!;
        public AcceptQuoteRequest AcceptRequest => new() { QuoteId = Quote.Id, IdempotencyKey = "deadline-" + Quote.Id };
        public ConcurrentQueue<AcceptAnswer> Answers { get; } = new();
        public AcceptAnswer[] Finals { get; set; } = [];
        public string History => string.Join("; ", Answers.OrderBy(a => a.At));

        // Windows that start a few hours apart, so leases overlap in part and every slot is fought over differently.
        public static Tenant Draw(int index, IReadOnlyList<Offer> offers, Random random) => new(
            $"tenant-deadline-{index}", offers[random.Next(offers.Count)], units: random.Next(4, 9), hours: random.Next(1, 4),
            startAfterHours: random.Next(0, 6),
            callerSeeds: Enumerable.Range(0, random.NextDouble() < 0.2 ? random.Next(2, 4) : 1).Select(_ => random.Next()).ToArray());

        public QuoteRequest QuoteRequest()
        {
            var request = BrokerSteps.Batch(id, units, hours, offer.PricePerHour.ToDecimal());
            var start = offer.Availability.Start.ToDateTimeOffset().AddHours(startAfterHours);
            request.Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddDays(3)) };
            return request;
        }
    }
}
