using Google.Protobuf.WellKnownTypes;
using Marketplace.Events.V1;
using Marketplace.Provider.Domain;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using MassTransit;

namespace Marketplace.Provider.Catalog;

// Tells the market what an offer has free, as an OfferCapacity with a version that only grows.
// Publishes through IBus: the announcer is a singleton and IPublishEndpoint is scoped.
public sealed class CapacityAnnouncer(DataCenterRegistry datacenters, MarketReference reference,
    IBus bus, TimeProvider clock)
{
    public async Task<OfferCapacity> DescribeAsync(Offer offer, CancellationToken ct)
    {
        var datacenter = await datacenters.GetAsync(offer.DatacenterId, ct);
        var window = HourWindow.From(offer.Availability, "offer.availability", OfferRules.MaxWindow);
        var capacity = new OfferCapacity
        {
            Offer = offer,
            Datacenter = datacenter,
            Accelerator = reference.Accelerators[offer.AcceleratorModel].ToProto(),
            Version = offer.Version,
        };
        if (offer.State == OfferState.Active)
            capacity.Free.Add(new FreeCapacityRun { Start = window.ToProto().Start, Hours = window.Hours, Free = offer.Count });
        return capacity;
    }

    public async Task AnnounceAsync(Offer offer, CapacityChangeReason reason, CancellationToken ct)
    {
        var capacity = await DescribeAsync(offer, ct);
        await bus.Publish(new CapacityChanged
        {
            EventId = NewId.NextSequentialGuid().ToString(),
            OccurredAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
            Reason = reason,
            Capacity = capacity,
        }, ct);
    }
}
