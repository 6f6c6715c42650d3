using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Console.Tests;

// A lease and its hourly usage as the broker and the provider publish them (after the integration tests'
// BillingSteps): LeaseCreated first, so billing knows the price, then one UsageRecorded per hour.
sealed record Usage(string Tenant, string Provider, string Datacenter, string Region, string Hub, string Model,
    int Units, decimal PricePerHour, double BoardKw = 0.4, double Pue = 1.25, string VoucherId = "")
{
    public static readonly DateTimeOffset Day = new(DateTimeOffset.UtcNow.Date, TimeSpan.Zero);

    public string LeaseId { get; } = $"lease-{Guid.NewGuid():N}"[..18];
    string HoldId => "hold-" + LeaseId;

    public async Task OpenAsync(RawBus bus, CancellationToken ct = default) =>
        await bus.PublishAsync(new LeaseCreated { EventId = "lease-created:" + LeaseId, OccurredAt = At(Day), Lease = Lease() }, ct);

    public string EventId(int hour) => $"usage:{HoldId}:{hour}";

    public async Task HourAsync(RawBus bus, int hour, CancellationToken ct = default) =>
        await bus.PublishAsync(new UsageRecorded
        {
            EventId = EventId(hour),
            OccurredAt = At(Day.AddHours(hour + 1)),
            LeaseId = LeaseId,
            OfferId = "offer-" + LeaseId,
            HoldId = HoldId,
            ProviderId = Provider,
            DatacenterId = Datacenter,
            AcceleratorModel = Model,
            Interval = new TimeWindow { Start = At(Day.AddHours(hour)), End = At(Day.AddHours(hour + 1)) },
            Units = Units,
            AcceleratorSeconds = Units * 3600L,
            EnergyKwh = Units * BoardKw * Pue,
        }, ct);

    // An hour an outage took: not billed; the offer's SLA credits the tenant `percent` of its charge.
    public async Task LostHourAsync(RawBus bus, int hour, int percent, CancellationToken ct = default) =>
        await bus.PublishAsync(new UsageLost
        {
            EventId = $"lost:{HoldId}:{hour}",
            OccurredAt = At(Day.AddHours(hour + 1)),
            LeaseId = LeaseId,
            OfferId = "offer-" + LeaseId,
            HoldId = HoldId,
            ProviderId = Provider,
            DatacenterId = Datacenter,
            AcceleratorModel = Model,
            Interval = new TimeWindow { Start = At(Day.AddHours(hour)), End = At(Day.AddHours(hour + 1)) },
            Units = Units,
            SlaCreditPercent = percent,
        }, ct);

    Lease Lease() => new()
    {
        Id = LeaseId,
        TenantId = Tenant,
        VoucherId = VoucherId,
        State = LeaseState.Scheduled,
        Window = new TimeWindow { Start = At(Day), End = At(Day.AddHours(24)) },
        Allocations =
        {
            new LeaseAllocation
            {
                OfferId = "offer-" + LeaseId, HoldId = HoldId, DatacenterId = Datacenter, ProviderId = Provider,
                RegionId = Region, HubId = Hub, AcceleratorModel = Model, Units = Units,
                PricePerHour = Money.FromDecimal(PricePerHour, "CNY"),
            },
        },
    };

    static Timestamp At(DateTimeOffset t) => Timestamp.FromDateTimeOffset(t);
}
