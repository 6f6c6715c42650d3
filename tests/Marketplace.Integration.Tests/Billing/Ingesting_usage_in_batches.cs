using Google.Protobuf;
using Marketplace.Billing.Storage;
using Marketplace.Broker.V1;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Faults;
using Marketplace.ServiceDefaults.Bus;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;

namespace Marketplace.Integration.Tests.Billing;

// Billing writes the usage it has in flight to the ledger in batches. A backlog published while billing
// is stopped is in flight all at once when it starts, so its events share batches: poison among good
// usage, and the same events a second time, as a redelivery of a whole batch brings them.
[Collection(MarketCollection.Name)]
public sealed class Ingesting_usage_in_batches(MarketFixture fixture) : IAsyncLifetime
{
    const int Database = 3; // shared with Billing_under_kill_9 (same collection, so never at once); ids are unique
    const decimal PricePerHour = 4.56m;

    readonly MarketUnderTest _market = fixture.Market;
    readonly string _prefix = $"billing-batch-{Guid.NewGuid():N}"[..22];
    ConnectionMultiplexer _redis = null!;

    IDatabase Ledger => _redis.GetDatabase(Database);
    string UsageQueue => $"{_prefix}-usage-recorded";
    string ErrorQueue => UsageQueue + "_error";

    [Fact]
    public async Task Poison_in_a_backlog_goes_to_the_error_queue_with_its_reason_counted_and_the_good_usage_is_posted_once()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        var lease = await LeaseKnownToStoppedBillingAsync("tenant-batch-poison", ct);
        var good = Enumerable.Range(0, 40).Select(hour => BillingSteps.Usage(lease, hour)).ToList();
        var stray = BillingSteps.Usage(lease, hour: 50);
        stray.HoldId = "hold-nobody-granted";
        stray.EventId = $"usage:{stray.HoldId}:{Guid.NewGuid():N}";
        var negative = BillingSteps.Usage(lease, hour: 51, acceleratorSeconds: -3600);
        negative.EventId += ":negative";
        (string What, byte[] Body, string Reason)[] poisons =
        [
            ("a body that does not parse", [0x0A, 0x64, 0x01, 0x02, 0x03, .. lease.Id.Select(c => (byte)c)], "unparseable"),
            ("negative accelerator-seconds", negative.ToByteArray(), "negative"),
            ("a hold its lease does not have", stray.ToByteArray(), "allocation"),
        ];
        var poisonBefore = BusMetrics.PoisonTotal;
        var feesBefore = await BalanceAsync("platform:fees");

        // The backlog: good usage with the poison spread through it, and a few good events twice.
        await using (var queue = await QueuePublisher.ConnectAsync(_market.Servers.RabbitMqUri))
        {
            for (var i = 0; i < good.Count; i++)
            {
                await queue.PublishAsync(UsageQueue, good[i], ct);
                if (i % 10 == 5)
                    await queue.PublishRawAsync(UsageQueue, poisons[i / 10 % poisons.Length].Body, UsageRecorded.Descriptor.FullName, ct);
                if (i % 10 == 7)
                    await queue.PublishAsync(UsageQueue, good[i - 3], ct);
            }
        }

        await using (await StartBillingAsync())
        {
            await Eventually.TrueAsync(async () => await AppliedAsync(good) == good.Count, "the good usage of the backlog posted",
                TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(async () => await ErrorCountAsync(ct) >= 4, $"the poison in {ErrorQueue}", TimeSpan.FromSeconds(30));
        }

        // The first poison is in the backlog twice (at 5 and 35): four letters in all.
        var letters = await DeadLetter.TakeAllAsync(_market.Servers.RabbitMqUri, ErrorQueue, ct);
        Assert.Equal(4, letters.Count);
        foreach (var (what, body, reason) in poisons)
        {
            var mine = letters.Where(l => l.Body.AsSpan().SequenceEqual(body)).ToList();
            Assert.True(mine.Count > 0, $"{what} is not in {ErrorQueue}");
            Assert.All(mine, letter => Assert.True(letter.Reason?.Contains(reason, StringComparison.OrdinalIgnoreCase) == true,
                $"{what}: its reason is '{letter.Reason ?? "(none)"}'; {letter.Describe()}"));
        }
        Assert.True(BusMetrics.PoisonTotal >= poisonBefore + 4, $"poison counted {BusMetrics.PoisonTotal - poisonBefore} times, not 4");
        await AssertPostedOnceAsync(lease, good, feesBefore);
    }

    [Fact]
    public async Task A_whole_backlog_delivered_again_posts_nothing_twice_and_each_log_line_carries_its_posting()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        var lease = await LeaseKnownToStoppedBillingAsync("tenant-batch-again", ct);
        var usages = Enumerable.Range(0, 60).Select(hour => BillingSteps.Usage(lease, hour, acceleratorSeconds: 3600 + 37 * hour)).ToList();
        var feesBefore = await BalanceAsync("platform:fees");

        // Twice over: a backlog drained, then the same events again, as after a crash before the acks.
        for (var delivery = 0; delivery < 2; delivery++)
        {
            await using (var queue = await QueuePublisher.ConnectAsync(_market.Servers.RabbitMqUri))
                foreach (var usage in usages)
                    await queue.PublishAsync(UsageQueue, usage, ct);
            await using (await StartBillingAsync())
            {
                await Eventually.TrueAsync(async () => await AppliedAsync(usages) == usages.Count
                                                       && await RabbitMqAdmin.MessageCountAsync(_market.Servers.RabbitMqUri, UsageQueue, ct) == 0,
                    $"delivery {delivery + 1} drained", TimeSpan.FromSeconds(60));
            } // stopping waits for what is in flight
        }

        Assert.Equal(0u, await RabbitMqAdmin.MessageCountAsync(_market.Servers.RabbitMqUri, UsageQueue, ct));
        Assert.Equal(0u, await ErrorCountAsync(ct));
        await AssertPostedOnceAsync(lease, usages, feesBefore);

        // One log line per posting, none twice, each the posting's one copy: packed on the line, which the
        // posted index names, and no hash of its own.
        var lines = (await Ledger.StreamRangeAsync("billing:{b}:log", "-", "+"))
            .Where(e => e["tenant"] == lease.TenantId).ToList();
        Assert.Equal(usages.Count, lines.Count);
        foreach (var line in lines)
        {
            var pid = (string)line["pid"]!;
            var posting = PackedPosting.Unpack((byte[])line["p"]!, (long)line["subsidy"]);
            Assert.Equal((pid, lease.TenantId), (posting.Id, posting.TenantId));
            Assert.Equal(line.Id, await Ledger.HashGetAsync("billing:{b}:posted", pid));
            Assert.False(await Ledger.KeyExistsAsync($"billing:{{b}}:posting:{pid}"));
        }
    }

    // A lease billing has heard of, and billing stopped, so what is published next is a backlog.
    async Task<Lease> LeaseKnownToStoppedBillingAsync(string tenant, CancellationToken ct)
    {
        var lease = BillingSteps.Lease(Samples.UniqueId(tenant), PricePerHour, provider: Samples.UniqueId("provider-batch"));
        await using var billing = await StartBillingAsync();
        await using var queue = await QueuePublisher.ConnectAsync(_market.Servers.RabbitMqUri);
        await queue.PublishAsync($"{_prefix}-lease-created",
            new LeaseCreated { EventId = "lease-created:" + lease.Id, OccurredAt = BillingSteps.At(BillingSteps.Hour0), Lease = lease }, ct);
        await Eventually.TrueAsync(() => Ledger.KeyExistsAsync($"billing:{{b}}:lease:{lease.Id}"), $"billing to hear of lease {lease.Id}",
            TimeSpan.FromSeconds(30));
        return lease;
    }

    Task<OwnBilling> StartBillingAsync() => OwnBilling.StartAsync(_market, Database, _prefix);

    // Each usage posted once, to the fen: its posting in the tenant's entries, the balances as rated.
    async Task AssertPostedOnceAsync(Lease lease, IReadOnlyCollection<UsageRecorded> usages, long feesBefore)
    {
        var allocation = lease.Allocations[0];
        var applied = 0;
        await foreach (var _ in Ledger.SetScanAsync("billing:{b}:applied", $"usage:{allocation.HoldId}:*", 1000))
            applied++;
        Assert.Equal(usages.Count, applied);

        var expected = ExpectedCharges.Of(lease, usages);
        Assert.Equal(expected.AmountFen, await BalanceAsync($"tenant:{lease.TenantId}"));
        Assert.Equal(-expected.PayableFen, await BalanceAsync($"provider:{allocation.ProviderId}"));
        Assert.Equal(-expected.FeeFen, await BalanceAsync("platform:fees") - feesBefore);

        var postings = (await Ledger.ListRangeAsync($"billing:{{b}}:entries:tenant:{lease.TenantId}")).Select(p => (string)p!).ToList();
        Assert.Equal(usages.Select(u => $"post:{u.EventId}").Order(), postings.Order());
    }

    async Task<int> AppliedAsync(IEnumerable<UsageRecorded> usages) =>
        (await Ledger.SetContainsAsync("billing:{b}:applied", usages.Select(u => (RedisValue)u.EventId).ToArray())).Count(x => x);

    async Task<long> BalanceAsync(string account) => (long)await Ledger.HashGetAsync("billing:{b}:balances", $"{account}|CNY");

    async Task<uint> ErrorCountAsync(CancellationToken ct)
    {
        try { return await RabbitMqAdmin.MessageCountAsync(_market.Servers.RabbitMqUri, ErrorQueue, ct); }
        catch (InvalidOperationException) { return 0; } // never declared: nothing failed
    }

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(_market.Servers.RedisConnectionString);

    public async Task DisposeAsync()
    {
        await BusCleanupAsync();
        await _redis.DisposeAsync();
    }

    // This test's queues go with it.
    async Task BusCleanupAsync()
    {
        foreach (var queue in new[] { UsageQueue, ErrorQueue, $"{_prefix}-lease-created", $"{_prefix}-lease-created_error" })
        {
            try { await RabbitMqAdmin.PurgeAsync(_market.Servers.RabbitMqUri, queue); }
            catch (InvalidOperationException) { } // never declared
        }
    }
}
