using Google.Protobuf.WellKnownTypes;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Billing;

// Leases and usage as the broker and provider would publish them, for billing to rate.
static class BillingSteps
{
    public static readonly DateTimeOffset Hour0 = new(2030, 3, 4, 0, 0, 0, TimeSpan.Zero);

    public static Lease Lease(string tenant, decimal pricePerHour, string voucherId = "", string region = "guizhou",
        string provider = "test-provider", string currency = "CNY")
    {
        var id = Samples.UniqueId("lease");
        return new Lease
        {
            Id = id,
            TenantId = tenant,
            VoucherId = voucherId,
            State = LeaseState.Scheduled,
            Window = new TimeWindow { Start = At(Hour0), End = At(Hour0.AddHours(100)) },
            Allocations =
            {
                new LeaseAllocation
                {
                    OfferId = "offer-" + id, HoldId = "hold-" + id, DatacenterId = "site-" + region, ProviderId = provider,
                    RegionId = region, HubId = region, AcceleratorModel = "H20", Units = 2,
                    PricePerHour = Money.FromDecimal(pricePerHour, currency),
                },
            },
        };
    }

    public static async Task OpenAsync(this RawBus bus, Lease lease) =>
        await bus.PublishAsync(new LeaseCreated { EventId = "lease-created:" + lease.Id, OccurredAt = At(Hour0), Lease = lease });

    public static UsageRecorded Usage(Lease lease, int hour, long acceleratorSeconds = 2 * 3600)
    {
        var allocation = lease.Allocations[0];
        return new UsageRecorded
        {
            EventId = $"usage:{allocation.HoldId}:{hour}",
            OccurredAt = At(Hour0.AddHours(hour + 1)),
            LeaseId = lease.Id,
            OfferId = allocation.OfferId,
            HoldId = allocation.HoldId,
            ProviderId = allocation.ProviderId,
            DatacenterId = allocation.DatacenterId,
            AcceleratorModel = allocation.AcceleratorModel,
            Interval = new TimeWindow { Start = At(Hour0.AddHours(hour)), End = At(Hour0.AddHours(hour + 1)) },
            Units = allocation.Units,
            AcceleratorSeconds = acceleratorSeconds,
            EnergyKwh = 0.96,
        };
    }

    public static async Task<decimal> BalanceAsync(this BillingService.BillingServiceClient billing, AccountKind kind, string owner)
    {
        var balance = await billing.GetBalanceAsync(new GetBalanceRequest { Account = new AccountRef { Kind = kind, OwnerId = owner } });
        return balance.Amounts.Sum(m => m.ToDecimal());
    }

    // Waits until the tenant owes `expected`, then a moment more to catch anything applied twice.
    public static async Task<decimal> SettledTenantBalanceAsync(this BillingService.BillingServiceClient billing, string tenant,
        decimal expected)
    {
        await Eventually.TrueAsync(async () => await billing.BalanceAsync(AccountKind.Tenant, tenant) >= expected,
            $"tenant {tenant} to owe {expected}");
        await Task.Delay(300);
        return await billing.BalanceAsync(AccountKind.Tenant, tenant);
    }

    public static Timestamp At(DateTimeOffset t) => Timestamp.FromDateTimeOffset(t);
}
