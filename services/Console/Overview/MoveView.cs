using Marketplace.Broker.V1;

namespace Marketplace.Console.Overview;

// A lease an outage or a higher bid moved, as the operator page lists it: from which site, to which lease
// (empty: the hours were dropped), from when (Unix ms), the bid that bought the hours (empty: an outage), why,
// and what the new site costs beyond the old (whole fen).
public sealed record MoveView(string Lease, string Tenant, string ToLease, string Site, long FromHour, bool Preempted,
    string SoldToBid, string Reason, long At, long ExtraCostFen)
{
    public static MoveView From(LeaseMoveRecord r) => new(r.LeaseId, r.TenantId, r.Move.ToLeaseId,
        string.Join("+", r.Move.Allocations.Select(a => a.DatacenterId).Distinct()), UnixMs.Of(r.Move.From), r.Preempted,
        r.Move.BidId, r.Move.Reason, UnixMs.Of(r.OccurredAt), WholeFen.Of(r.Move.ExtraCost));
}
