namespace Marketplace.Pricing;

// One placement of a lease as money sees it: so many accelerators of one offer for whole hours from Start.
public sealed record LeasePart(int Units, DateTimeOffset Start, int Hours, decimal PricePerHour, string RegionId, string ProviderId)
{
    // What one of its hours costs before any rounding.
    public decimal HourlyAmount => PricePerHour * Units;
}
