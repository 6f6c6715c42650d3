using Google.Protobuf.WellKnownTypes;
using Marketplace.Events.V1;
using Marketplace.Provider.Domain;
using Marketplace.Provider.Storage;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Bus;
using MassTransit;

namespace Marketplace.Provider.Catalog;

// Tells the market what an offer has free, as an OfferCapacity with a version that only grows.
// Publishes through IBus: the publisher is a singleton and IPublishEndpoint is scoped.
// The change is already in the calendar when it is announced, so RabbitMQ away must not fail the
// caller's hold or publish: the send waits a bounded time and gives up with a warning. Each event
// carries the offer's whole free capacity, so the next one (or a broker's snapshot) heals a lost one.
public sealed class CapacityPublisher(OfferStore offers, CalendarStore calendar, DataCenterDesk datacenters,
    ReliabilityStore reliability, MarketReference reference, IBus bus, TimeProvider clock, ILogger<CapacityPublisher> logger)
{
    static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(2);

    public async Task<OfferCapacity> DescribeAsync(Offer offer, CancellationToken ct) =>
        await DescribeAsync(offer, await WithReliabilityAsync(await datacenters.GetAsync(offer.DatacenterId, ct)), ct);

    // A site as buyers see it: with its reliability now.
    public async Task<DataCenter> WithReliabilityAsync(DataCenter datacenter)
    {
        var described = datacenter.Clone();
        if (await reliability.OfAsync(datacenter.Id, Slots.Of(clock.GetUtcNow()) / 24) is { } share)
            described.Reliability = share;
        else
            described.ClearReliability();
        return described;
    }

    // `datacenter` as WithReliabilityAsync gives it.
    public async Task<OfferCapacity> DescribeAsync(Offer offer, DataCenter datacenter, CancellationToken ct)
    {
        var (first, last) = Slots.Of(HourWindow.From(offer.Availability, "offer.availability", OfferRules.MaxWindow));
        var (version, _, free) = await calendar.FreeAsync(offer.Id, first, last, clock.GetUtcNow().ToUnixTimeMilliseconds());
        var described = offer.Clone();
        described.Version = version;
        return new OfferCapacity
        {
            Offer = described,
            Datacenter = datacenter,
            Accelerator = reference.Accelerators[offer.AcceleratorModel].ToProto(),
            Free = { FreeRuns.Compress(first, free) },
            Version = version,
        };
    }

    public async Task AnnounceAsync(string offerId, CapacityChangeReason reason, CancellationToken ct)
    {
        var offer = await offers.GetAsync(offerId);
        if (offer is null)
            return;
        var changed = new CapacityChanged
        {
            EventId = NewId.NextSequentialGuid().ToString(),
            OccurredAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
            Reason = reason,
            Capacity = await DescribeAsync(offer, ct),
        };
        try
        {
            await bus.PublishWithinAsync(changed, SendTimeout);
        }
        catch (Exception ex) // whatever RabbitMQ's trouble, the caller's change stands
        {
            logger.LogWarning("CapacityChanged for offer {OfferId} (version {Version}) was not sent: {Reason}",
                offerId, changed.Capacity.Version, ex.Message);
        }
    }
}
