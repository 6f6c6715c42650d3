using Marketplace.Billing.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Billing;

[Collection(MarketCollection.Name)]
public sealed class Watching_billing_events(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task A_watcher_dropped_twenty_times_resumes_from_its_cursor_with_no_gap_and_no_duplicate()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
        var tenant = Samples.UniqueId("tenant-watch");
        var lease = BillingSteps.Lease(tenant, pricePerHour: 3.21m);
        await bus.OpenAsync(lease);
        const int total = 120;
        var publishing = Task.Run(async () =>
        {
            for (var hour = 0; hour < total; hour++)
            {
                await bus.PublishAsync(BillingSteps.Usage(lease, hour));
                if (hour % 10 == 0) await Task.Delay(20); // events keep arriving while the watcher comes and goes
            }
        });

        await using var watcher = new WatchClient(_market.BillingClient, new WatchBillingEventsRequest { TenantId = tenant });
        var seen = new List<BillingEvent>();
        for (var drop = 0; drop < 20; drop++)
        {
            seen.AddRange(await watcher.TakeAsync(random.Next(1, 6)));
            watcher.Drop();
        }
        await publishing;
        seen.AddRange(await watcher.TakeAsync(total - seen.Count));

        // The log, read once from the start with no interruption, for comparison.
        await using var reference = new WatchClient(_market.BillingClient, new WatchBillingEventsRequest { TenantId = tenant });
        var log = await reference.TakeAsync(total);
        Assert.True(total == seen.Count, $"seed {seed}: saw {seen.Count} of {total}");
        Assert.Equal(log.Select(e => e.Cursor), seen.Select(e => e.Cursor));
        Assert.Equal(total, seen.Select(e => e.Posting.SourceEventId).Distinct().Count());
    }

    [Fact]
    public async Task A_cursor_that_is_not_ours_is_refused()
    {
        await using var watcher = new WatchClient(_market.BillingClient, new WatchBillingEventsRequest { FromCursor = "yesterday" });
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => watcher.TakeAsync(1));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
    }
}
