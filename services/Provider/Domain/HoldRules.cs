using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Provider.Domain;

// What a hold request must be before the calendar sees it.
public static class HoldRules
{
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);

    public static (HourWindow Window, TimeSpan Ttl) Validate(HoldCapacityRequest request)
    {
        Require.Id(request.OfferId, "offer_id");
        if (request.Units is <= 0 or > OfferRules.MaxCount)
            throw new InvalidFieldException("units", $"must be within 1..{OfferRules.MaxCount}");
        var window = HourWindow.From(request.Window, "window", OfferRules.MaxWindow);
        if (request.Ttl is null)
            throw new InvalidFieldException("ttl", "is required");
        var ttl = request.Ttl.ToTimeSpan();
        if (ttl < MinTtl || ttl > MaxTtl)
            throw new InvalidFieldException("ttl", $"must be within {MinTtl.TotalSeconds:0} s..{MaxTtl.TotalHours:0} h");
        Require.Key(request.IdempotencyKey, "idempotency_key");
        return (window, ttl);
    }
}
