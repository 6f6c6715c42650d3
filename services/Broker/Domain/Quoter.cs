using Marketplace.Provider.V1;
using Marketplace.Reference;

namespace Marketplace.Broker.Domain;

// Filters the catalog by the demand's hard constraints, then ranks what is left by total cost.
public sealed class Quoter(MarketReference reference)
{
    public IReadOnlyList<QuoteOption> Rank(QuoteDemand demand, IEnumerable<OfferCapacity> catalog, int maxOptions) =>
        catalog
            .Select(offer => Fit(demand, offer))
            .OfType<QuoteOption>()
            .OrderBy(option => option.Compute)
            .ThenBy(option => option.Start)
            .ThenBy(option => option.Offer.Offer.Id, StringComparer.Ordinal)
            .Take(maxOptions)
            .ToList();

    QuoteOption? Fit(QuoteDemand demand, OfferCapacity capacity)
    {
        var offer = capacity.Offer;
        if (!reference.Accelerators.TryGetValue(offer.AcceleratorModel, out var model) || !Suits(demand, model))
            return null;
        if (demand.AllowedRegions.Count > 0 && !demand.AllowedRegions.Contains(capacity.Datacenter.RegionId))
            return null;

        var price = offer.PricePerHour.ToDecimal();
        if (demand.PriceCeilingPerHour is { } ceiling && price > ceiling)
            return null;

        var hours = Math.Max(demand.HoursOn(model), offer.MinLeaseHours);
        var start = FreeWindowFinder.Earliest(capacity.Free, demand.Accelerators, hours,
            demand.EarliestStart, demand.Deadline);
        return start is null
            ? null
            : new QuoteOption(capacity, demand.Accelerators, start.Value, hours, price * demand.Accelerators * hours);
    }

    static bool Suits(QuoteDemand demand, Accelerator model)
    {
        if (demand.ExactModel is { } exact && model.Model != exact.Model)
            return false;
        if (demand.ClassFloor is { } floor && model.Fp16DenseTflops < floor.Fp16DenseTflops)
            return false;
        if (demand.DomesticOnly && model.Origin != AcceleratorOrigin.Domestic)
            return false;
        return model.MemoryGb >= demand.MinMemoryGb;
    }
}
