using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Pricing;
using Marketplace.Reference;
using AcceleratorOrigin = Marketplace.Reference.AcceleratorOrigin;
using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Broker.Domain;

// Filters the catalog by the demand's hard constraints, then ranks what is left by total cost:
// compute + moving the data + latency penalty - voucher. When no single offer can take a batch or
// inference job, splits it across the fewest data centers, then the cheapest plan; training is never
// split (it needs one interconnect domain).
public sealed class Quoter(MarketReference reference, QuotingPolicy policy)
{
    readonly SiteCosting _costing = new(reference, policy);
    readonly SplitPlanner _splitter = new(policy);

    public QuoteResult Quote(QuoteDemand demand, IEnumerable<OfferCapacity> catalog, VoucherCover? voucher = null)
    {
        var singles = new List<QuotePlan>();
        var partials = new List<SplitPlanner.Candidate>();
        var excluded = new List<Exclusion>();
        foreach (var capacity in catalog)
        {
            if (!reference.Accelerators.TryGetValue(capacity.Offer.AcceleratorModel, out var model) || !IsWanted(demand, model))
                continue;
            var hours = Math.Max(demand.HoursOn(model), capacity.Offer.MinLeaseHours);
            var wouldCost = Fen.ToYuan(Fen.Round(capacity.Offer.PricePerHour.ToDecimal() * demand.Accelerators * hours));
            if (HardConstraintBroken(demand, capacity, model) is { } reason)
            {
                excluded.Add(new Exclusion(capacity.Datacenter.Id, capacity.Offer.Id, reason, wouldCost));
                continue;
            }

            // The data must arrive before the work starts.
            var earliest = WholeHours.Ceiling(demand.EarliestStart.AddHours(_costing.Transfer(demand, capacity.Datacenter).Hours));
            if (FreeWindowFinder.Earliest(capacity.Free, demand.Accelerators, hours, earliest, demand.Deadline) is { } start)
            {
                singles.Add(QuotePlan.Priced([_costing.Price(demand, capacity, model, demand.Accelerators, start, hours)], voucher));
                continue;
            }
            var (units, at) = FreeWindowFinder.MostFree(capacity.Free, hours, earliest, demand.Deadline);
            excluded.Add(new Exclusion(capacity.Datacenter.Id, capacity.Offer.Id, units > 0
                ? $"only {units} free, need {demand.Accelerators} in one interconnect domain"
                : $"no {hours}-hour window free before the deadline", wouldCost));
            if (units > 0)
                partials.Add(new SplitPlanner.Candidate(_costing.Price(demand, capacity, model, units, at, hours),
                    _costing.UnitCost(demand, capacity, hours)));
        }

        var options = singles
            .OrderBy(p => p.Total).ThenBy(p => p.Start).ThenBy(p => p.Parts[0].OfferId, StringComparer.Ordinal)
            .Take(policy.MaxOptions)
            .ToList();
        if (options.Count == 0 && demand.Workload != WorkloadKind.Training
            && _splitter.Plan(demand.Accelerators, partials, part => Reprice(demand, part, voucher)) is { } split)
            options.Add(split);

        var cheapest = options.Count > 0 ? options[0].Total : decimal.MaxValue;
        var notable = excluded
            .Where(e => e.WouldCost < cheapest)
            .GroupBy(e => e.DatacenterId)
            .Select(site => site.MinBy(e => e.WouldCost)!)
            .OrderBy(e => e.WouldCost).ThenBy(e => e.OfferId, StringComparer.Ordinal)
            .Take(policy.MaxExclusions)
            .ToList();
        return new QuoteResult(options, notable);
    }

    // Prices a split's parts for the units each got, as one plan: the voucher is spent once across them.
    QuotePlan Reprice(QuoteDemand demand, IReadOnlyList<(SiteOption Site, int Units)> parts, VoucherCover? voucher) =>
        QuotePlan.Priced(parts.Select(p => _costing.Price(demand, p.Site.Capacity, p.Site.Model, p.Units, p.Site.Start, p.Site.Hours)).ToList(),
            voucher);

    // A different product is not an exclusion; it is simply not what was asked for.
    static bool IsWanted(QuoteDemand demand, Accelerator model) =>
        (demand.ExactModel is null || model.Model == demand.ExactModel.Model)
        && (demand.ClassFloor is null || model.Fp16DenseTflops >= demand.ClassFloor.Fp16DenseTflops);

    string? HardConstraintBroken(QuoteDemand demand, OfferCapacity capacity, Accelerator model)
    {
        if (model.MemoryGb < demand.MinMemoryGb)
            return $"memory {model.MemoryGb} GB < {demand.MinMemoryGb} GB";
        if (demand.DomesticOnly && model.Origin != AcceleratorOrigin.Domestic)
            return $"foreign accelerator ({model.DisplayName}); domestic only";
        if (policy.ExcludeExportControlled && model.ExportControl == ExportControlClass.Controlled)
            return $"export-controlled ({model.DisplayName})";
        if (demand.Workload == WorkloadKind.Training && capacity.Offer.Interruptible)
            return "interruptible capacity; gang-scheduled training needs it uninterrupted";
        var region = capacity.Datacenter.RegionId;
        if (demand.AllowedRegions.Count > 0 && !demand.AllowedRegions.Contains(region))
            return $"region {region} is outside the allowed regions";
        if (demand.Workload == WorkloadKind.Inference && demand.LatencyLimitMs is { } limit)
        {
            var rtt = _costing.RoundTripMs(demand, capacity.Datacenter);
            if (rtt is null)
                return $"no latency figure from {demand.UsersRegionId} to {region}";
            if (rtt > limit)
                return $"RTT {rtt:0.#} ms > limit {limit} ms";
        }
        var price = capacity.Offer.PricePerHour.ToDecimal();
        if (demand.PriceCeilingPerHour is { } ceiling && price > ceiling)
            return $"price {price:0.00} > ceiling {ceiling:0.00} {capacity.Offer.PricePerHour.Currency}/h";
        return null;
    }
}
