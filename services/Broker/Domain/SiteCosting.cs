using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Pricing;
using Marketplace.Reference;

namespace Marketplace.Broker.Domain;

// Costs one offer for a demand: compute, moving the data there, latency and energy. The plan it joins
// rounds compute, applies the voucher and charges each data center's transfer once (QuotePlan.Priced).
public sealed class SiteCosting(MarketReference reference, QuotingPolicy policy)
{
    readonly Func<string, Hub?> _hubOf = id => reference.Hubs.GetValueOrDefault(id);

    // Hours and yuan of moving the tenant's data to the site; nothing when there is no data or it is local.
    public (double Hours, decimal Cost) Transfer(QuoteDemand demand, DataCenter site)
    {
        if (!MovesData(demand, site.RegionId))
            return (0, 0);
        var perGb = RouteFromData(demand, site.RegionId) + site.TransferInPricePerGb.ToDecimal();
        var hours = (double)(demand.DataSizeGb * 8m / policy.TransferGbps / 3600m);
        return (hours, Fen.ToYuan(Fen.Round(demand.DataSizeGb * perGb)));
    }

    // What moving the data to the region costs a GB on the way, before the site's price to receive it;
    // null when nothing is moved there.
    public decimal? RoutePerGb(QuoteDemand demand, string regionId) =>
        MovesData(demand, regionId) ? RouteFromData(demand, regionId) : null;

    static bool MovesData(QuoteDemand demand, string regionId) =>
        demand.DataSizeGb != 0 && demand.DataRegionId is not null && demand.DataRegionId != regionId;

    decimal RouteFromData(QuoteDemand demand, string regionId) => reference.Transfer.RoutePerGb(
        reference.Regions[demand.DataRegionId!], reference.Regions[regionId], _hubOf);

    // From the users' region when the request names one, else from the data's; null: no figure.
    public double? RoundTripMs(QuoteDemand demand, DataCenter site) => RoundTripMs(demand, site.RegionId);

    public double? RoundTripMs(QuoteDemand demand, string regionId) =>
        (demand.UsersRegionId ?? demand.DataRegionId) is { } from ? reference.Latencies.RoundTripMs(from, regionId) : null;

    // What one accelerator costs at the offer for the whole lease, before rounding: a split fills the
    // cheapest first.
    public decimal UnitCost(QuoteDemand demand, OfferCapacity capacity, int hours) =>
        (capacity.Offer.PricePerHour.ToDecimal() + LatencyPerAcceleratorHour(demand, capacity.Datacenter)) * hours;

    public SiteOption Price(QuoteDemand demand, OfferCapacity capacity, Accelerator model, int units,
        DateTimeOffset start, int hours)
    {
        var site = capacity.Datacenter;
        var (transferHours, transfer) = Transfer(demand, site);
        var compute = capacity.Offer.PricePerHour.ToDecimal() * units * hours;
        var latency = Fen.ToYuan(Fen.Round(LatencyPerAcceleratorHour(demand, site) * units * hours));
        var energy = units * hours * model.BoardPowerW / 1000.0 * site.Pue;
        var co2 = energy * (1 - site.GreenPowerShare) * (double)policy.GridKgCo2PerKwh;
        return new SiteOption(capacity, model, units, start, hours, transferHours, RoundTripMs(demand, site), compute,
            transfer, latency, 0, energy, co2);
    }

    // Only inference pays for distance from its users; other work just reports the round trip.
    decimal LatencyPerAcceleratorHour(QuoteDemand demand, DataCenter site) =>
        LatencyPerAcceleratorHour(demand, RoundTripMs(demand, site));

    public decimal LatencyPerAcceleratorHour(QuoteDemand demand, double? rttMs) =>
        demand.Workload == WorkloadKind.Inference && rttMs is { } ms
            ? (decimal)ms * policy.LatencyPenaltyPerMsPerAcceleratorHour
            : 0;
}
