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
//
// Two ways to the same answer: a scan of every offer (the reference), and a walk of the OfferIndex that
// looks at offers cheapest-possible first and stops once nothing left can beat what it holds.
public sealed class Quoter(MarketReference reference, QuotingPolicy policy)
{
    // Each total rounds compute, transfer, latency and the voucher to the fen: a bound this far below
    // what the unrounded figures say can never be beaten by the rounding.
    const decimal RoundingSlack = 0.05m;

    readonly SiteCosting _costing = new(reference, policy);
    readonly SplitPlanner _splitter = new(policy);

    public QuoteResult Quote(QuoteDemand demand, IEnumerable<OfferCapacity> catalog, VoucherCover? voucher = null)
    {
        var found = new QuoteFindings(policy.MaxOptions);
        foreach (var capacity in catalog)
            Assess(demand, capacity, voucher, found);
        var options = Options(demand, found, voucher);
        return new QuoteResult(options, Notable(found, Cheapest(options)));
    }

    public QuoteResult Quote(QuoteDemand demand, OfferIndex index, Func<string, OfferCapacity?> current,
        VoucherCover? voucher = null)
    {
        var found = new QuoteFindings(policy.MaxOptions);
        var copay = voucher is null ? 1m : voucher.TenantCopayPercent / 100m;
        var scratch = WalkScratch.For(index);
        var (walks, queue, blocked) = (scratch.Walks, scratch.Queue, scratch.Blocked);
        // Shelves share models and regions: each is judged once per quote.
        var (models, regions) = (scratch.Models, scratch.Regions);
        for (var i = 0; i < index.Shelves.Count; i++)
        {
            var shelf = index.Shelves[i];
            ref var model = ref models[shelf.ModelSlot];
            if (!model.Known)
                model = IsWanted(demand, shelf.Model)
                    ? new(true, true, ModelBroken(demand, shelf.Model) is null, demand.Accelerators * demand.HoursOn(shelf.Model))
                    : new(true, false, false, 0);
            if (!model.Wanted)
                continue;
            ref var region = ref regions[shelf.RegionSlot];
            if (!region.Known)
                region = new(true, RegionBroken(demand, shelf.RegionId) is null,
                    _costing.RoutePerGb(demand, shelf.RegionId), _costing.RoundTripMs(demand, shelf.RegionId));
            if (!model.Usable || !region.Usable)
            {
                walks[i] = new ShelfWalk(shelf, model.UnitHours, 0, 0);
                blocked.Add(i);
                continue;
            }
            walks[i] = new ShelfWalk(shelf, model.UnitHours, copay, Floor(demand, shelf, model.UnitHours, region.RoutePerGb, region.RttMs));
            queue.Enqueue(i, walks[i].Bound);
        }

        // Best first, until MaxOptions offers are in hand and the next bound is past the last of them.
        while (queue.TryPeek(out var i, out var bound))
        {
            if (found.Full && bound - RoundingSlack > found.LastBest)
                break;
            queue.Dequeue();
            ref var walk = ref walks[i];
            if (current(walk.Entry.OfferId) is { } capacity)
                Assess(demand, capacity, voucher, found);
            if (walk.Advance())
                queue.Enqueue(i, walk.Bound);
        }

        // No single offer: the walk went through every live shelf, so the split sees all the scan sees.
        var options = Options(demand, found, voucher);
        var cheapest = Cheapest(options);

        // An exclusion is worth telling when its compute alone is cheaper than the best option: look at
        // every such offer not yet looked at.
        foreach (var (i, _) in queue.UnorderedItems)
            TellExclusions(demand, ref walks[i], current, voucher, found, cheapest);
        foreach (var i in blocked)
            TellExclusions(demand, ref walks[i], current, voucher, found, cheapest);
        // The scratch outlives the index: it must not keep an index replaced since alive.
        Array.Clear(walks, 0, index.Shelves.Count);
        return new QuoteResult(options, Notable(found, cheapest));
    }

    void TellExclusions(QuoteDemand demand, ref ShelfWalk walk, Func<string, OfferCapacity?> current,
        VoucherCover? voucher, QuoteFindings found, decimal cheapest)
    {
        do
        {
            if (walk.Entry.PricePerHour * walk.UnitHours - RoundingSlack >= cheapest)
                break;
            if (current(walk.Entry.OfferId) is { } capacity)
                Assess(demand, capacity, voucher, found, exclusionsOnly: true);
        } while (walk.Advance());
    }

    // The model an offer gives the demand when the demand may use it at all (the exchange's eligibility:
    // every hard constraint of a quote but the price ceiling, which a bid's limit replaces), else null.
    public Accelerator? Usable(QuoteDemand demand, OfferCapacity capacity) =>
        capacity.Offer.State == OfferState.Active
        && reference.Accelerators.TryGetValue(capacity.Offer.AcceleratorModel, out var model) && IsWanted(demand, model)
        && HardConstraintBroken(demand with { PriceCeilingPerHour = null }, capacity, model) is null
            ? model
            : null;

    // One offer against the demand: an option, an exclusion, or a part a split may use. Once the options
    // are chosen (`exclusionsOnly`) an offer is looked at only for its exclusion: pricing it as an option
    // or a part would be work no answer uses.
    void Assess(QuoteDemand demand, OfferCapacity capacity, VoucherCover? voucher, QuoteFindings found,
        bool exclusionsOnly = false)
    {
        if (capacity.Offer.State != OfferState.Active
            || !reference.Accelerators.TryGetValue(capacity.Offer.AcceleratorModel, out var model) || !IsWanted(demand, model))
            return;
        var hours = Math.Max(demand.HoursOn(model), capacity.Offer.MinLeaseHours);
        var wouldCost = Fen.ToYuan(Fen.Round(capacity.Offer.PricePerHour.ToDecimal() * demand.Accelerators * hours));
        if (HardConstraintBroken(demand, capacity, model) is { } reason)
        {
            found.Excluded.Add(new Exclusion(capacity.Datacenter.Id, capacity.Offer.Id, reason, wouldCost));
            return;
        }

        // The data must arrive before the work starts.
        var earliest = WholeHours.Ceiling(demand.EarliestStart.AddHours(_costing.Transfer(demand, capacity.Datacenter).Hours));
        if (OutsideWindow(demand, capacity.Offer, hours, earliest) is { } outside)
        {
            found.Excluded.Add(new Exclusion(capacity.Datacenter.Id, capacity.Offer.Id, outside, wouldCost));
            return;
        }
        if (FreeWindowFinder.Earliest(capacity.Free, demand.Accelerators, hours, earliest, demand.Deadline) is { } start)
        {
            if (!exclusionsOnly)
                found.AddSingle(QuotePlan.Priced([_costing.Price(demand, capacity, model, demand.Accelerators, start, hours)], voucher));
            return;
        }
        var (units, at) = FreeWindowFinder.MostFree(capacity.Free, hours, earliest, demand.Deadline);
        found.Excluded.Add(new Exclusion(capacity.Datacenter.Id, capacity.Offer.Id, units > 0
            ? $"only {units} free, need {demand.Accelerators} in one interconnect domain"
            : $"no {hours}-hour window free before the deadline", wouldCost));
        if (units > 0 && !exclusionsOnly)
            found.Partials.Add(new SplitPlanner.Candidate(_costing.Price(demand, capacity, model, units, at, hours),
                _costing.UnitCost(demand, capacity, hours)));
    }

    // An offer published for other dates is not short of capacity, and its exclusion says so.
    static string? OutsideWindow(QuoteDemand demand, Offer offer, int hours, DateTimeOffset earliest)
    {
        if (offer.Availability?.Start is null || offer.Availability.End is null)
            return null;
        var (start, end) = (offer.Availability.Start.ToDateTimeOffset(), offer.Availability.End.ToDateTimeOffset());
        var from = start > earliest ? start : earliest;
        var to = end < demand.Deadline ? end : demand.Deadline;
        return (to - from).TotalHours >= hours
            ? null
            : $"offered {start:yyyy-MM-dd HH:mm} .. {end:yyyy-MM-dd HH:mm} UTC, not {hours} hours of the window asked for";
    }

    List<QuotePlan> Options(QuoteDemand demand, QuoteFindings found, VoucherCover? voucher)
    {
        // Sorted in place: the offer id settles every tie, so an unstable sort orders as a stable one would.
        var options = found.Singles;
        options.Sort(ByTotalStartOffer);
        if (options.Count > policy.MaxOptions)
            options.RemoveRange(policy.MaxOptions, options.Count - policy.MaxOptions);
        if (options.Count == 0 && demand.Workload != WorkloadKind.Training
            && _splitter.Plan(demand.Accelerators, found.Partials, part => Reprice(demand, part, voucher)) is { } split)
            options.Add(split);
        return options;
    }

    static readonly Comparison<QuotePlan> ByTotalStartOffer = (a, b) =>
        a.Total != b.Total ? a.Total.CompareTo(b.Total)
        : a.Start != b.Start ? a.Start.CompareTo(b.Start)
        : string.CompareOrdinal(a.Parts[0].OfferId, b.Parts[0].OfferId);

    static decimal Cheapest(List<QuotePlan> options) => options.Count > 0 ? options[0].Total : decimal.MaxValue;

    // The cheapest exclusion of each data center that would have cost less than the best option: in
    // order of cost, each data center's first is its cheapest.
    List<Exclusion> Notable(QuoteFindings found, decimal cheapest)
    {
        var notable = found.Excluded;
        notable.RemoveAll(e => e.WouldCost >= cheapest);
        if (notable.Count == 0)
            return notable;
        notable.Sort(ByCostThenOffer);
        var sites = new HashSet<string>(StringComparer.Ordinal);
        var kept = 0;
        for (var i = 0; i < notable.Count && kept < policy.MaxExclusions; i++)
            if (sites.Add(notable[i].DatacenterId))
                notable[kept++] = notable[i];
        notable.RemoveRange(kept, notable.Count - kept);
        return notable;
    }

    static readonly Comparison<Exclusion> ByCostThenOffer = (a, b) =>
        a.WouldCost != b.WouldCost ? a.WouldCost.CompareTo(b.WouldCost) : string.CompareOrdinal(a.OfferId, b.OfferId);

    // What every offer on the shelf pays beyond compute, at the least: the data moved at the cheapest
    // site of the region, and the inference penalty for the region's round trip.
    decimal Floor(QuoteDemand demand, OfferIndex.Shelf shelf, int unitHours, decimal? routePerGb, double? rttMs)
    {
        var transfer = routePerGb is { } route ? demand.DataSizeGb * (route + shelf.MinTransferInPerGb) : 0;
        return transfer + _costing.LatencyPerAcceleratorHour(demand, rttMs) * unitHours;
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
        if (ModelBroken(demand, model) is { } modelReason)
            return modelReason;
        if (demand.Workload == WorkloadKind.Training && capacity.Offer.Interruptible)
            return "interruptible capacity; gang-scheduled training needs it uninterrupted";
        if (RegionBroken(demand, capacity.Datacenter.RegionId) is { } regionReason)
            return regionReason;
        if (SiteReliability.Of(capacity.Datacenter) is var reliability && reliability < demand.MinReliability)
            return $"reliability {reliability:0.###} < {demand.MinReliability:0.###} (hours delivered / hours leased, 30 days)";
        var price = capacity.Offer.PricePerHour.ToDecimal();
        if (demand.PriceCeilingPerHour is { } ceiling && price > ceiling)
            return $"price {price:0.00} > ceiling {ceiling:0.00} {capacity.Offer.PricePerHour.Currency}/h";
        return null;
    }

    string? ModelBroken(QuoteDemand demand, Accelerator model)
    {
        if (model.MemoryGb < demand.MinMemoryGb)
            return $"memory {model.MemoryGb} GB < {demand.MinMemoryGb} GB";
        if (demand.DomesticOnly && model.Origin != AcceleratorOrigin.Domestic)
            return $"foreign accelerator ({model.DisplayName}); domestic only";
        if (policy.ExcludeExportControlled && model.ExportControl == ExportControlClass.Controlled)
            return $"export-controlled ({model.DisplayName})";
        return null;
    }

    string? RegionBroken(QuoteDemand demand, string region)
    {
        if (demand.AllowedRegions.Count > 0 && !demand.AllowedRegions.Contains(region))
            return $"region {region} is outside the allowed regions";
        if (demand.Workload == WorkloadKind.Inference && demand.LatencyLimitMs is { } limit)
        {
            var rtt = _costing.RoundTripMs(demand, region);
            if (rtt is null)
                return $"no latency figure from {demand.UsersRegionId} to {region}";
            if (rtt > limit)
                return $"RTT {rtt:0.#} ms > limit {limit} ms";
        }
        return null;
    }
}
