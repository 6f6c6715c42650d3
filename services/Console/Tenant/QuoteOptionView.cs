using Marketplace.Broker.V1;

namespace Marketplace.Console.Tenant;

// One ranked option of a quote, every yuan itemised, in whole fen; where it runs is in its placements.
public sealed record QuoteOptionView(
    string Id, int Rank, long ExpiresAt, long TotalFen, long ComputeFen, long TransferFen, long LatencyPenaltyFen,
    long VoucherFen, long TenantDueFen, double EnergyKwh, double GreenPowerShare, double Co2Kg,
    IReadOnlyList<PlacementView> Placements)
{
    public static QuoteOptionView From(Quote q) => new(
        q.Id, q.Rank, UnixMs.Of(q.ExpiresAt), WholeFen.Of(q.Breakdown?.Total), WholeFen.Of(q.Breakdown?.Compute),
        WholeFen.Of(q.Breakdown?.Transfer), WholeFen.Of(q.Breakdown?.LatencyPenalty), WholeFen.Of(q.Breakdown?.VoucherSubsidy),
        WholeFen.Of(q.Breakdown?.TenantDue), q.Breakdown?.EnergyKwh ?? 0, q.Breakdown?.GreenPowerShare ?? 0, q.Breakdown?.Co2Kg ?? 0,
        q.Placements.Select(PlacementView.From).ToList());
}
