using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Provider.Domain;

// What a data center must be before the market lists it.
public static class DataCenterRules
{
    public static void Validate(DataCenter dc, MarketReference reference, string field = "datacenter")
    {
        Require.Id(dc.Id, $"{field}.id");
        Require.Id(dc.ProviderId, $"{field}.provider_id");
        Require.NotBlank(dc.Name, $"{field}.name");
        if (!reference.Regions.TryGetValue(dc.RegionId, out var region))
            throw new InvalidFieldException($"{field}.region_id", $"unknown region '{dc.RegionId}'");
        if (dc.HubId.Length > 0 && !reference.Hubs.ContainsKey(dc.HubId))
            throw new InvalidFieldException($"{field}.hub_id",
                $"unknown hub '{dc.HubId}'; one of {string.Join(", ", reference.Hubs.Keys)}");
        if (dc.HubId.Length > 0 && region.HubId != dc.HubId)
            throw new InvalidFieldException($"{field}.hub_id", region.HubId is null
                ? $"region '{region.Id}' is outside the national hubs; leave hub_id empty"
                : $"region '{region.Id}' belongs to hub '{region.HubId}'");
        if (dc.Latitude is < -90 or > 90 || double.IsNaN(dc.Latitude))
            throw new InvalidFieldException($"{field}.latitude", "must be within -90..90");
        if (dc.Longitude is < -180 or > 180 || double.IsNaN(dc.Longitude))
            throw new InvalidFieldException($"{field}.longitude", "must be within -180..180");
        if (!(dc.Pue >= 1) || dc.Pue > 5)
            throw new InvalidFieldException($"{field}.pue", "must be at least 1 (and at most 5)");
        if (!(dc.GreenPowerShare is >= 0 and <= 1))
            throw new InvalidFieldException($"{field}.green_power_share", "must be within 0..1");
        Require.NonNegativeMoney(dc.ElectricityPricePerKwh, $"{field}.electricity_price_per_kwh");
        Require.NonNegativeMoney(dc.TransferInPricePerGb, $"{field}.transfer_in_price_per_gb");
        Require.NonNegativeMoney(dc.TransferOutPricePerGb, $"{field}.transfer_out_price_per_gb");
    }
}
