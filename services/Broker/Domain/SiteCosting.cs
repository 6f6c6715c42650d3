using Marketplace.Provider.V1;
using Marketplace.Pricing;
using Marketplace.Reference;

namespace Marketplace.Broker.Domain;

// Costs one offer for a demand: compute, moving the data there, latency and energy. The plan it joins
// rounds compute and applies the voucher (QuotePlan.Priced), as billing will.
public sealed class SiteCosting(MarketReference reference, QuotingPolicy policy)
{
    // Hours and yuan of moving the tenant's data to the site; nothing when there is no data or it is local.
    public (double Hours, decimal Cost) Transfer(QuoteDemand demand, DataCenter site)
    {
        if (demand.DataSizeGb == 0 || demand.DataRegionId is null || demand.DataRegionId == site.RegionId)
            return (0, 0);
        var from = reference.Regions[demand.DataRegionId];
        var to = reference.Regions[site.RegionId];
        var perGb = reference.Transfer.RoutePerGb(from, to, id => reference.Hubs.GetValueOrDefault(id))
                    + site.TransferInPricePerGb.ToDecimal();
        var hours = (double)(demand.DataSizeGb * 8m / policy.TransferGbps / 3600m);
        return (hours, Fen.ToYuan(Fen.Round(demand.DataSizeGb * perGb)));
    }

    public double? RoundTripMs(QuoteDemand demand, DataCenter site) =>
        demand.UsersRegionId is null ? null : reference.Latencies.RoundTripMs(demand.UsersRegionId, site.RegionId);

    public SiteOption Price(QuoteDemand demand, OfferCapacity capacity, Accelerator model, int units,
        DateTimeOffset start, int hours)
    {
        var site = capacity.Datacenter;
        var (transferHours, transfer) = Transfer(demand, site);
        var rtt = RoundTripMs(demand, site);
        var compute = capacity.Offer.PricePerHour.ToDecimal() * units * hours;
        var latency = demand.Workload == Common.V1.WorkloadKind.Inference && rtt is { } ms
            ? Fen.ToYuan(Fen.Round((decimal)ms * policy.LatencyPenaltyPerMsPerAcceleratorHour * units * hours))
            : 0;
        var energy = units * hours * model.BoardPowerW / 1000.0 * site.Pue;
        var co2 = energy * (1 - site.GreenPowerShare) * (double)policy.GridKgCo2PerKwh;
        return new SiteOption(capacity, model, units, start, hours, transferHours, rtt, compute, transfer, latency,
            0, energy, co2);
    }
}
