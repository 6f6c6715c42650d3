using Marketplace.Broker.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Broker.Failover;

// What takes hours off a lease: an outage at its site (unplanned, or planned: a provider's reclaim of
// interruptible capacity), or a call auction that sold its interruptible capacity to a bid paying more.
// Key names the cause in every key and event id of the move, so a re-run finds what an earlier run did.
public sealed record MoveCause(string Key, bool Reclaim, string What, string NotPlacedAgain, string OutageId = "",
    string AuctionId = "", string BidId = "")
{
    public static MoveCause Of(Outage outage, bool reclaim, DateTimeOffset from) => new(
        outage.Id, reclaim,
        (reclaim ? $"interruptible capacity at {outage.DatacenterId} reclaimed from {from:u}" : $"outage at {outage.DatacenterId}")
        + $" ({outage.Reason})",
        "preempted: the provider reclaims its interruptible capacity then, and the lease did not ask to be placed again",
        OutageId: outage.Id);

    public static MoveCause Sale(string auctionId, string bidId, string datacenterId, DateTimeOffset from) => new(
        $"{auctionId}:{bidId}", true,
        $"interruptible capacity at {datacenterId} sold from {from:u} to a bid that pays more (auction {auctionId})",
        "preempted: its interruptible capacity is sold to a bid that pays more from then, and the lease did not ask to be placed again",
        AuctionId: auctionId, BidId: bidId);

    public static string KeyOf(LeaseMove move) => move.OutageId.Length > 0 ? move.OutageId : $"{move.AuctionId}:{move.BidId}";
}
