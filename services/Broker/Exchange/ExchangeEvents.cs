using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Events.V1;

namespace Marketplace.Broker.Exchange;

// The exchange's facts for the bus, with ids derived from what they describe (a re-send is the same fact).
// They leave through the outbox, written with the state they describe.
public sealed class ExchangeEvents(TimeProvider clock)
{
    public (string Id, IMessage Event) Placed(Bid bid) =>
        ($"bid-placed:{bid.Id}", new BidPlaced { EventId = $"bid-placed:{bid.Id}", OccurredAt = Now(), Bid = bid });

    public (string Id, IMessage Event) Filled(Bid bid, string auctionId) =>
        ($"bid-filled:{bid.Id}", new BidFilled
        {
            EventId = $"bid-filled:{bid.Id}", OccurredAt = Now(), Bid = bid, AuctionId = auctionId, LeaseId = bid.LeaseId,
        });

    public (string Id, IMessage Event) Expired(Bid bid, string reason) =>
        ($"bid-expired:{bid.Id}", new BidExpired { EventId = $"bid-expired:{bid.Id}", OccurredAt = Now(), Bid = bid, Reason = reason });

    public (string Id, IMessage Event) Cleared(AuctionResult result) =>
        ($"auction-cleared:{result.Id}", new AuctionCleared { EventId = $"auction-cleared:{result.Id}", OccurredAt = Now(), Result = result });

    Timestamp Now() => Timestamp.FromDateTimeOffset(clock.GetUtcNow());
}
