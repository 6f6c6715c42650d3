using Marketplace.Provider.V1;
using Marketplace.Pricing;
using Marketplace.Reference;

namespace Marketplace.Broker.Domain;

// One offer as the demand would use it: the accelerators it gets, when, and every yuan of it.
public sealed record SiteOption(
    OfferCapacity Capacity,
    Accelerator Model,
    int Units,
    DateTimeOffset Start,
    int Hours,
    double TransferHours,
    double? RttMs,
    decimal Compute,
    decimal Transfer,
    decimal LatencyPenalty,
    decimal VoucherSubsidy,
    double EnergyKwh,
    double Co2Kg)
{
    public DateTimeOffset End => Start.AddHours(Hours);
    public decimal Total => Compute + Transfer + LatencyPenalty - VoucherSubsidy;
    public string OfferId => Capacity.Offer.Id;
    public string DatacenterId => Capacity.Datacenter.Id;
    public decimal TenantDue => Compute - VoucherSubsidy;

    public LeasePart AsLeasePart() => new(Units, Start, Hours, Capacity.Offer.PricePerHour.ToDecimal(),
        Capacity.Datacenter.RegionId, Capacity.Offer.ProviderId);
}
