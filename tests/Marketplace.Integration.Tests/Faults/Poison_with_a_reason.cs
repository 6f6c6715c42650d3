using System.Text;
using Google.Protobuf;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Testing.Market;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Faults;

// A message that can never be applied goes to the error queue at once, and says why in an AMQP header
// `reason` that an operator reads without a stack trace; the good usage behind it is applied. Published
// straight to this billing's own queue, so the market's shared billing never sees the poison.
[Collection(MarketCollection.Name)]
public sealed class Poison_with_a_reason(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 9; // the fixture's services use 0-3
    const decimal PricePerHour = 2.22m;
    static readonly string UsageType = UsageRecorded.Descriptor.FullName;

    readonly MarketUnderTest _market = fixture.Market;
    readonly Timeline _timeline = new(output);

    sealed record Poison(string What, byte[] Body, string? TypeHeader, string ReasonSays);

    [Fact]
    public async Task Lands_in_the_error_queue_with_its_reason_in_words_and_the_good_usage_after_it_is_applied()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        await using var billing = await IsolatedBilling.StartAsync(_market, Database, "billing-poison", ct: ct);
        Say($"queues {billing.Prefix}-*");
        var lease = BillingSteps.Lease(Samples.UniqueId("tenant-poison"), PricePerHour, provider: Samples.UniqueId("provider-poison"));
        var feesBefore = await billing.BalanceAsync("platform:fees");
        await using var queue = await QueuePublisher.ConnectAsync(_market.Servers.RabbitMqUri);
        await queue.PublishAsync(billing.LeaseQueue, new LeaseCreated
        {
            EventId = "lease-created:" + lease.Id, OccurredAt = BillingSteps.At(BillingSteps.Hour0), Lease = lease,
        }, ct);
        await Eventually.TrueAsync(() => billing.KnowsLeaseAsync(lease.Id), $"billing to hear of lease {lease.Id}", TimeSpan.FromSeconds(30));

        var strangerHold = BillingSteps.Usage(lease, hour: 1);
        strangerHold.HoldId = "hold-nobody-granted";
        strangerHold.EventId = $"usage:{strangerHold.HoldId}:1";
        Poison[] poisons =
        [
            // Field 1 claims 100 bytes and 3 follow: truncated, whatever the type.
            new("a body that does not parse", [0x0A, 0x64, 0x01, 0x02, 0x03], UsageType, "unparseable"),
            new("an unknown type header", Encoding.UTF8.GetBytes($"unknown type {lease.Id}"), "marketplace.events.v1.NoSuchEvent", "type"),
            new("no type header", Encoding.UTF8.GetBytes($"no type {lease.Id}"), null, "type"),
            new("negative accelerator-seconds", BillingSteps.Usage(lease, hour: 0, acceleratorSeconds: -3600).ToByteArray(), UsageType, "negative"),
            new("a hold its lease does not have", strangerHold.ToByteArray(), UsageType, "allocation"),
        ];
        var good = Enumerable.Range(10, 3).Select(hour => BillingSteps.Usage(lease, hour)).ToList();

        // Act: the poison, then good usage behind it.
        foreach (var poison in poisons)
            await queue.PublishRawAsync(billing.UsageQueue, poison.Body, poison.TypeHeader, ct);
        foreach (var usage in good)
            await queue.PublishAsync(billing.UsageQueue, usage, ct);

        await Eventually.TrueAsync(async () => await billing.AppliedAsync(good) == good.Count,
            "the good usage behind the poison applied", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => await billing.ErrorCountAsync(ct) >= poisons.Length,
            $"{poisons.Length} messages in {billing.UsageErrorQueue}", TimeSpan.FromSeconds(30));
        var letters = await DeadLetter.TakeAllAsync(_market.Servers.RabbitMqUri, billing.UsageErrorQueue, ct);
        foreach (var letter in letters)
            Say($"dead letter: {letter.Describe()}");

        // Assert: exactly the poison is there, each saying why in words; the good usage is billed once.
        Assert.Equal(poisons.Length, letters.Count);
        foreach (var poison in poisons)
        {
            var letter = letters.SingleOrDefault(l => l.Body.AsSpan().SequenceEqual(poison.Body));
            Assert.True(letter is not null, $"{poison.What} is not in {billing.UsageErrorQueue}");
            Assert.True(letter.Reason?.Contains(poison.ReasonSays, StringComparison.OrdinalIgnoreCase) == true,
                $"{poison.What}: its 'reason' header is '{letter.Reason ?? "(none)"}', which does not say '{poison.ReasonSays}'; {letter.Describe()}");
        }
        await billing.AssertBilledOnceAsync(lease, good, feesBefore);
    }

    void Say(string line) => _timeline.Say(line);
}
