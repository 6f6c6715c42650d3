using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Provider.Catalog;
using Marketplace.Provider.Domain;
using Marketplace.Provider.Storage;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Time;
using MassTransit;
using Marketplace.ServiceDefaults.Replicas;

namespace Marketplace.Provider.Metering;

// Meters confirmed lease allocations hour by hour on the market clock (real time by default; faster
// with MarketClock:Speed) and publishes one UsageRecorded per allocation-hour. The event id is
// derived from the hold and the hour, so a re-publish after a crash is the same fact, deduplicated
// downstream: publish first, then record how far the meter got. An hour its offer was down for
// (OutageHours) was not delivered: it is passed over, never billed.
public sealed class UsageMeter(OfferStore offers, CalendarStore calendar, DataCenterDesk datacenters, OutageStore outages,
    ReliabilityStore reliability, CapacityAnnouncements capacity,
    MarketReference reference, IBus bus, ProviderOptions options, TimeProvider clock, ILogger<UsageMeter> logger, RunnerLease runner)
    : PeriodicWork(options.MeterInterval, logger, runOnce: runner)
{
    protected override Task TickAsync(CancellationToken ct) => MeterAsync(ct);

    public async Task<int> MeterAsync(CancellationToken ct)
    {
        var published = 0;
        var now = clock.GetUtcNow();
        var outagesAt = new Dictionary<string, IReadOnlyList<Outage>>(); // a site's outages, read once a pass
        foreach (var offerId in await offers.IdsAsync())
        {
            var due = await calendar.DueAsync(offerId, Slots.Of(now), now.ToUnixTimeMilliseconds());
            if (due.Count == 0)
                continue;
            var offer = (await offers.GetAsync(offerId))!;
            var datacenter = await datacenters.GetAsync(offer.DatacenterId, ct);
            var kwPerUnit = reference.Accelerators[offer.AcceleratorModel].BoardPowerW / 1000.0 * datacenter.Pue;
            if (!outagesAt.TryGetValue(offer.DatacenterId, out var down))
                outagesAt[offer.DatacenterId] = down = await outages.OfDataCenterAsync(offer.DatacenterId);
            var byDay = new Dictionary<long, (long Leased, long Delivered)>();
            foreach (var (holdId, hold, upTo) in due)
            {
                for (var slot = hold.MeteredUntil + 1; slot <= upTo; slot++)
                {
                    var (leased, delivered) = byDay.GetValueOrDefault(slot / 24);
                    var lost = OutageHours.Covers(down, offerId, slot);
                    byDay[slot / 24] = (leased + hold.Units, delivered + (lost ? 0 : hold.Units));
                    if (lost)
                    {
                        // Not delivered, so not billed: said as such, with the SLA credit it earns the tenant.
                        await bus.Publish(new UsageLost
                        {
                            EventId = $"lost:{holdId}:{slot}",
                            OccurredAt = Timestamp.FromDateTimeOffset(now),
                            LeaseId = hold.LeaseId, OfferId = offerId, HoldId = holdId, ProviderId = offer.ProviderId,
                            DatacenterId = offer.DatacenterId, AcceleratorModel = offer.AcceleratorModel,
                            Interval = new HourWindow(Slots.Start(slot), Slots.Start(slot + 1)).ToProto(),
                            Units = hold.Units, SlaCreditPercent = offer.SlaCreditPercent,
                            OutageId = OutageHours.Taking(down, offerId, slot)?.Id ?? "",
                        }, ct);
                        continue;
                    }
                    await bus.Publish(new UsageRecorded
                    {
                        EventId = $"usage:{holdId}:{slot}",
                        OccurredAt = Timestamp.FromDateTimeOffset(now),
                        LeaseId = hold.LeaseId,
                        OfferId = offerId,
                        HoldId = holdId,
                        ProviderId = offer.ProviderId,
                        DatacenterId = offer.DatacenterId,
                        AcceleratorModel = offer.AcceleratorModel,
                        Interval = new HourWindow(Slots.Start(slot), Slots.Start(slot + 1)).ToProto(),
                        Units = hold.Units,
                        AcceleratorSeconds = hold.Units * 3600L,
                        EnergyKwh = hold.Units * kwPerUnit,
                    }, ct);
                    published++;
                }
                await calendar.MarkMeteredAsync(offerId, holdId, upTo, now.ToUnixTimeMilliseconds());
            }
            foreach (var (day, (leased, delivered)) in byDay)
                await reliability.CountAsync(offer.DatacenterId, day, leased, delivered);
            // Hours lost to an outage lower the site's reliability: the market hears it with the capacity.
            if (byDay.Values.Any(d => d.Delivered < d.Leased))
                capacity.Announce(offerId, CapacityChangeReason.Changed);
        }
        return published;
    }
}
