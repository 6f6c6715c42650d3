namespace Marketplace.Broker.Domain;

// Splits work no single offer can take. A site is a data center: the data is moved there once, however
// many of its offers take part. Fewest data centers first, then the cheapest plan.
public sealed class SplitPlanner(QuotingPolicy policy)
{
    // Up to this many k-sets of data centers are all tried; beyond it, only those of a pool.
    public const int MaxCombinations = 20_000;

    // An offer that can take part: `Site` is priced for every unit it has free; `UnitCost` is what one
    // accelerator costs there for the whole lease (compute and latency penalty, before rounding).
    public sealed record Candidate(SiteOption Site, decimal UnitCost)
    {
        public int Units => Site.Units;
    }

    // A data center's candidates, cheapest first.
    sealed record DataCenterPart(string Id, IReadOnlyList<Candidate> Offers)
    {
        public int Units { get; } = Offers.Sum(o => o.Units);
    }

    public QuotePlan? Plan(int needed, IReadOnlyList<Candidate> candidates,
        Func<IReadOnlyList<(SiteOption Site, int Units)>, QuotePlan> price)
    {
        var sites = candidates
            .GroupBy(c => c.Site.DatacenterId)
            .Select(g => new DataCenterPart(g.Key, g.OrderBy(c => c.UnitCost).ThenBy(c => c.Site.OfferId, StringComparer.Ordinal).ToList()))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToList();

        // Fewest: the smallest k whose k largest data centers hold enough.
        var largest = sites.OrderByDescending(s => s.Units).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        var (k, sum) = (0, 0);
        while (k < largest.Count && sum < needed)
            sum += largest[k++].Units;
        if (sum < needed || k > policy.MaxSplitSites)
            return null;

        // Cheapest: the cheapest allocation of every k-set that holds enough (strictly cheaper wins, so
        // ties go to the first set in data-center order).
        QuotePlan? best = null;
        foreach (var set in Combinations(Pool(sites, largest, k), k))
        {
            if (set.Sum(s => s.Units) < needed)
                continue;
            var plan = price(Allocate(set, needed));
            if (best is null || plan.Total < best.Total)
                best = plan;
        }
        return best;
    }

    // Every data center while its k-sets number at most MaxCombinations. Beyond that: the k largest (so
    // some set holds enough), then by turns the next cheapest (by its cheapest offer's unit cost) and the
    // next largest, as many as keep the k-sets within the bound.
    static IReadOnlyList<DataCenterPart> Pool(List<DataCenterPart> sites, List<DataCenterPart> largest, int k)
    {
        if (SetCount(sites.Count, k) <= MaxCombinations)
            return sites;
        var cheapest = sites.OrderBy(s => s.Offers[0].UnitCost).ThenBy(s => s.Id, StringComparer.Ordinal);
        var pool = largest.Take(k).ToList();
        foreach (var site in cheapest.Zip(largest, (c, l) => new[] { c, l }).SelectMany(pair => pair).Except(pool))
        {
            if (SetCount(pool.Count + 1, k) > MaxCombinations)
                break;
            pool.Add(site);
        }
        return pool;
    }

    // For a fixed set, filling the cheapest offers first across the whole set is the cheapest allocation
    // (costs are linear in units; each data center's transfer is the same whichever of its offers take
    // part). As k is the fewest, every data center in the set gets some units.
    static List<(SiteOption, int)> Allocate(IEnumerable<DataCenterPart> set, int needed)
    {
        var parts = new List<(SiteOption, int)>();
        var offers = set.SelectMany(s => s.Offers).OrderBy(c => c.UnitCost).ThenBy(c => c.Site.OfferId, StringComparer.Ordinal);
        foreach (var offer in offers)
        {
            if (needed == 0)
                break;
            var units = Math.Min(offer.Units, needed);
            parts.Add((offer.Site, units));
            needed -= units;
        }
        return parts;
    }

    // C(n, k), or a number past MaxCombinations as soon as it is certain to exceed it.
    static long SetCount(int n, int k)
    {
        var count = 1L;
        for (var i = 1; i <= k && count <= MaxCombinations; i++)
            count = count * (n - k + i) / i;
        return count;
    }

    static IEnumerable<DataCenterPart[]> Combinations(IReadOnlyList<DataCenterPart> pool, int k, int from = 0)
    {
        if (k == 0)
        {
            yield return [];
            yield break;
        }
        for (var i = from; i <= pool.Count - k; i++)
            foreach (var rest in Combinations(pool, k - 1, i + 1))
                yield return [pool[i], .. rest];
    }
}
