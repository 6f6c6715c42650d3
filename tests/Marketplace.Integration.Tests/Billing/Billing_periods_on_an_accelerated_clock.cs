using Google.Protobuf;
using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Billing;

// A billing of its own whose market runs an hour a second in six-hour billing periods. Period A closes
// by itself when the clock passes its end; period B is closed early by an operator.
[Collection(MarketCollection.Name)]
public sealed class Billing_periods_on_an_accelerated_clock(MarketFixture fixture)
{
    const int Database = 4; // free: the fixture uses 0-3, the CLI tests 5, the fault tests 6-14, Invoices_across_a_crash 15
    const int PeriodHours = 6;
    static readonly DateTimeOffset A = new(2031, 1, 1, 0, 0, 0, TimeSpan.Zero); // a period start (2031-01-01 is 6-hour aligned)
    static readonly DateTimeOffset B = A.AddHours(PeriodHours);

    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Bill_each_hour_once_on_invoices_numbered_in_turn_with_late_usage_adjusted_on_the_next()
    {
        await OwnBilling.EmptyAsync(_market, Database);
        await IssuedInvoices.DeleteExchangeAsync(_market.Servers.RabbitMqUri);
        await using var billing = await OwnBilling.StartAsync(_market, Database, Samples.UniqueId("billing-periods"),
            ("MarketClock:Speed", "3600"), ("MarketClock:Anchor", DateTimeOffset.UtcNow.ToString("O")),
            ("MarketClock:Epoch", A.AddHours(-1).ToString("O")), ("Billing:InvoicePeriodHours", $"{PeriodHours}"),
            ("Billing:InvoiceCloseInterval", "00:00:00.100"));
        await using var issued = await IssuedInvoices.BindAsync(_market.Servers.RabbitMqUri); // declared by billing at start
        await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
        var tenant = Samples.UniqueId("tenant-periods");
        var (metered, late) = (LeaseFrom(tenant), LeaseFrom(tenant));
        await bus.OpenAsync(metered);
        await bus.OpenAsync(late);

        // Period A: three hours metered while it runs (10.00 each: 2 accelerators at 5.00).
        for (var hour = 0; hour < 3; hour++)
            await bus.PublishAsync(UsageAt(metered, A.AddHours(hour)));
        Assert.Equal(30m, await billing.Operator.SettledTenantBalanceAsync(tenant, 30m));
        Assert.True(billing.Now < B, $"period A ended at {billing.Now:O}, before its usage was posted: too slow a machine for this test");

        // A closes by itself once the market clock passes its end, and is announced on the bus.
        var a = (await issued.UntilAsync(seen => seen.Count > 0, TimeSpan.FromSeconds(30))).Single().Invoice;
        var aAsIssued = (await billing.Operator.GetInvoiceAsync(new GetInvoiceRequest { InvoiceId = a.Id })).ToByteArray();

        // Then an hour of A arrives late, and B's first hour as it passes.
        await bus.PublishAsync(UsageAt(late, A.AddHours(3)));
        await bus.PublishAsync(UsageAt(metered, B));
        Assert.Equal(50m, await billing.Operator.SettledTenantBalanceAsync(tenant, 50m));

        // Only an operator closes a period early: at the current hour, after B's first.
        foreach (var (role, subject) in new[] { (MarketRoles.Tenant, tenant), (MarketRoles.Provider, metered.Allocations[0].ProviderId) })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => billing.As(role, subject).CloseBillingPeriodAsync(new()).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        }
        await Eventually.TrueAsync(() => Task.FromResult(billing.Now >= B.AddHours(1)), "the market clock past B's first hour");
        var closed = await billing.Operator.CloseBillingPeriodAsync(new CloseBillingPeriodRequest());
        var cut = closed.ClosedThrough.ToDateTimeOffset();
        Assert.True(cut < B.AddHours(PeriodHours), $"B ended at {cut:O} before the operator closed it: too slow a machine for this test");

        // A: its own three hours, number 1, unchanged since it was issued although usage of its hours came later.
        Assert.Equal((1, InvoiceState.Issued, Window(A, B)), (a.Number, a.State, a.Period));
        var aLine = Assert.Single(a.Lines);
        Assert.Equal((metered.Id, 6.0, 30m, false), (aLine.LeaseId, aLine.AcceleratorHours, aLine.Amount.ToDecimal(), aLine.Adjustment));
        Assert.True(a.IssuedAt.ToDateTimeOffset() >= B);
        Assert.Equal(aAsIssued, (await billing.Operator.GetInvoiceAsync(new GetInvoiceRequest { InvoiceId = a.Id })).ToByteArray());

        // B: the next number, cut short at the operator's close: its own hour, and A's late hour as an adjustment of A.
        var b = Assert.Single(closed.Invoices);
        Assert.Equal((2, InvoiceState.Issued, tenant, Window(B, cut), 20m), (b.Number, b.State, b.TenantId, b.Period, b.Total.ToDecimal()));
        var bLine = Assert.Single(b.Lines, l => !l.Adjustment);
        Assert.Equal((metered.Id, 2.0, 10m), (bLine.LeaseId, bLine.AcceleratorHours, bLine.Amount.ToDecimal()));
        var adjustment = Assert.Single(b.Lines, l => l.Adjustment);
        Assert.Equal((late.Id, 10m, Window(A, B), a.Id),
            (adjustment.LeaseId, adjustment.Amount.ToDecimal(), adjustment.AdjustedPeriod, adjustment.AdjustedInvoiceId));

        // The tenant's invoices over both periods: A and B issued, and the open draft from the cut on.
        var listed = (await billing.Operator.ListInvoicesAsync(new ListInvoicesRequest { TenantId = tenant, Period = Window(A, B.AddHours(PeriodHours)) })).Invoices;
        Assert.Equal([a, b], listed.Take(2));
        var draft = listed[2];
        Assert.Equal((3, InvoiceState.Open, Window(cut, B.AddHours(PeriodHours)), 0L, 0), (listed.Count, draft.State, draft.Period, draft.Number, draft.Lines.Count));

        // Each announced once on the bus, its event id made from the invoice id, as stored.
        await Task.Delay(500);
        var announced = await issued.UntilAsync(seen => seen.Count >= 2, TimeSpan.FromSeconds(15));
        Assert.Equal([$"invoice-issued:{a.Id}", $"invoice-issued:{b.Id}"], announced.Select(e => e.EventId));
        Assert.Equal([a, b], announced.Select(e => e.Invoice));

        // ... and in the billing event log, each after the postings it bills.
        await using var watch = new WatchClient(billing.Operator, new WatchBillingEventsRequest { TenantId = tenant });
        var log = await watch.TakeAsync(7);
        Assert.Equal("PPPIPPI", string.Concat(log.Select(e => e.KindCase == BillingEvent.KindOneofCase.Posting ? 'P' : 'I')));
        Assert.Equal([a, b], log.Where(e => e.InvoiceIssued is not null).Select(e => e.InvoiceIssued));
    }

    static Lease LeaseFrom(string tenant)
    {
        var lease = BillingSteps.Lease(tenant, pricePerHour: 5m);
        lease.Window = Window(A, A.AddHours(4 * PeriodHours));
        return lease;
    }

    // One metered hour of the lease's two accelerators.
    static UsageRecorded UsageAt(Lease lease, DateTimeOffset hour)
    {
        var usage = BillingSteps.Usage(lease, hour: 0);
        usage.EventId = $"usage:{lease.Allocations[0].HoldId}:{hour:yyyyMMddHH}";
        usage.Interval = Window(hour, hour.AddHours(1));
        usage.OccurredAt = BillingSteps.At(hour.AddHours(1));
        return usage;
    }

    static TimeWindow Window(DateTimeOffset start, DateTimeOffset end) =>
        new() { Start = BillingSteps.At(start), End = BillingSteps.At(end) };
}
