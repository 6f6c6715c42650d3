using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Provider.Domain;

// What an offer must be before it is published at a data center.
public static class OfferRules
{
    public const int MaxCount = 100_000;
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    public static void Validate(Offer offer, MarketReference reference, string field = "offer")
    {
        if (offer.Id.Length > 0)
            Require.Id(offer.Id, $"{field}.id");
        Require.Id(offer.DatacenterId, $"{field}.datacenter_id");
        if (!reference.Accelerators.ContainsKey(offer.AcceleratorModel))
            throw new InvalidFieldException($"{field}.accelerator_model",
                $"unknown model '{offer.AcceleratorModel}'; one of {string.Join(", ", reference.Accelerators.Keys)}");
        if (offer.Count is <= 0 or > MaxCount)
            throw new InvalidFieldException($"{field}.count", $"must be within 1..{MaxCount}");
        Require.PositiveMoney(offer.PricePerHour, $"{field}.price_per_hour");
        ValidateReserve(offer.ReservePricePerHour, offer.PricePerHour, $"{field}.reserve_price_per_hour");
        var hours = HourWindow.From(offer.Availability, $"{field}.availability", MaxWindow).Hours;
        if (offer.MinLeaseHours < 1 || offer.MinLeaseHours > hours)
            throw new InvalidFieldException($"{field}.min_lease_hours", $"must be within 1..{hours} (the window's hours)");
        Require.NotBlank(offer.InterconnectDomain, $"{field}.interconnect_domain");
        if (offer.SlaCreditPercent is < 0 or > 100)
            throw new InvalidFieldException($"{field}.sla_credit_percent", "must be within 0..100");
    }

    // A reserve is a floor for the exchange below the posted price, in the offer's currency.
    public static void ValidateReserve(Money? reserve, Money price, string field)
    {
        if (reserve is null)
            return;
        var amount = Require.PositiveMoney(reserve, field);
        if (reserve.Currency != price.Currency)
            throw new InvalidFieldException($"{field}.currency", $"must be the price's currency, {price.Currency}");
        if (amount > price.ToDecimal())
            throw new InvalidFieldException(field, $"must not exceed price_per_hour ({price.ToDecimal()} {price.Currency})");
    }
}
