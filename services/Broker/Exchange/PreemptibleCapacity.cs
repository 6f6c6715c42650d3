using Marketplace.Broker.Exchange.Clearing;
using Marketplace.Broker.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Broker.Exchange;

// Interruptible capacity already leased is for sale again, to a bid that pays more than its lease: each such
// allocation is an ask of its own for its hours from the notice on, at the lease's price plus a premium. A
// match on one preempts the allocation from the first hour sold (FailoverDesk.PreemptAsync): all of it
// leaves the lease from then, told now; what the sale does not use is free again.
public sealed record Preemptible(string LeaseId, string TenantId, string HoldId, Ask Ask);

public static class PreemptibleCapacity
{
    // Ask ids of preemptible capacity are the offer's id, this mark and the hold's id.
    const char Mark = '~';

    public static string OfferOf(string askId) => askId.IndexOf(Mark) is var i and >= 0 ? askId[..i] : askId;

    public static bool IsPreemptible(string askId) => askId.Contains(Mark);

    // noticeEnds: the first instant a slot sold now may begin at and still give the lease its notice.
    public static List<Preemptible> Of(IEnumerable<Lease> live, IReadOnlyDictionary<string, OfferCapacity> offers,
        DateTimeOffset firstHour, int hours, DateTimeOffset noticeEnds, decimal premiumPercent)
    {
        var found = new List<Preemptible>();
        foreach (var lease in live.Where(l => l.State is LeaseState.Scheduled or LeaseState.Active))
            foreach (var allocation in lease.Allocations)
            {
                if (!offers.TryGetValue(allocation.OfferId, out var capacity) || !capacity.Offer.Interruptible || capacity.Offer.State != OfferState.Active)
                    continue;
                var (start, end) = (allocation.Window.Start.ToDateTimeOffset(), allocation.Window.End.ToDateTimeOffset());
                var free = new int[hours];
                for (var t = 0; t < hours; t++)
                {
                    var slot = firstHour.AddHours(t);
                    if (slot >= noticeEnds && slot >= start && slot.AddHours(1) <= end)
                        free[t] = allocation.Units;
                }
                if (!free.Any(f => f > 0))
                    continue;
                var cost = allocation.PricePerHour.ToDecimal() * (1 + premiumPercent / 100);
                found.Add(new Preemptible(lease.Id, lease.TenantId, allocation.HoldId,
                    AuctionBookBuilder.AskAt(capacity, $"{allocation.OfferId}{Mark}{allocation.HoldId}", cost, free)));
            }
        return found;
    }
}
