using Google.Protobuf.WellKnownTypes;
using Marketplace.Billing.V1;
using Marketplace.Common.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Cli.Tests;

// Waits (as the fixture's operator) until billing has posted so many accelerator-hours for a tenant.
public static class Billed
{
    public static Task HoursAsync(CliMarket fixture, string tenant, double hours) =>
        Eventually.TrueAsync(async () =>
        {
            var now = fixture.Now;
            var invoices = await fixture.Market.BillingClient.ListInvoicesAsync(new ListInvoicesRequest
            {
                TenantId = tenant,
                Period = new TimeWindow
                {
                    Start = Timestamp.FromDateTimeOffset(now.AddDays(-60)),
                    End = Timestamp.FromDateTimeOffset(now.AddDays(60)),
                },
            });
            return invoices.Invoices.Sum(i => i.Lines.Sum(l => l.AcceleratorHours)) >= hours;
        }, $"{hours} accelerator-hours billed to {tenant}", TimeSpan.FromSeconds(30));
}
