namespace Marketplace.Broker.Domain;

// Splits work no single site can take across the fewest sites, and among those the cheapest set.
public sealed class SplitPlanner(QuotingPolicy policy)
{
    const int PoolSize = 12;

    // A site that can take part: `Site` is priced for every unit it has free.
    public sealed record Candidate(SiteOption Site)
    {
        public int Units => Site.Units;
        public decimal UnitCost => (Site.Compute + Site.LatencyPenalty) / Site.Units;
    }

    public QuotePlan? Plan(int needed, IReadOnlyList<Candidate> candidates,
        Func<IReadOnlyList<(SiteOption Site, int Units)>, IReadOnlyList<SiteOption>> price)
    {
        // Fewest: the smallest k whose k largest sites hold enough.
        var largest = candidates.OrderByDescending(c => c.Units).ToList();
        var (k, sum) = (0, 0);
        while (k < largest.Count && sum < needed)
            sum += largest[k++].Units;
        if (sum < needed || k < 2 || k > policy.MaxSplitSites)
            return null;

        // Cheapest: every k-set from a pool of the cheapest and the largest sites.
        var pool = candidates.OrderBy(c => c.UnitCost).Take(PoolSize).Union(largest.Take(PoolSize)).ToList();
        QuotePlan? best = null;
        foreach (var set in Combinations(pool, k))
        {
            if (set.Sum(c => c.Units) < needed)
                continue;
            var plan = new QuotePlan(price(Allocate(set, needed)));
            if (best is null || plan.Total < best.Total)
                best = plan;
        }
        return best;
    }

    // Fills the cheapest sites first; in a minimal set every site gets some.
    static List<(SiteOption, int)> Allocate(IEnumerable<Candidate> set, int needed)
    {
        var parts = new List<(SiteOption, int)>();
        foreach (var candidate in set.OrderBy(c => c.UnitCost).ThenBy(c => c.Site.OfferId, StringComparer.Ordinal))
        {
            var units = Math.Min(candidate.Units, needed);
            if (units == 0)
                break;
            parts.Add((candidate.Site, units));
            needed -= units;
        }
        return parts;
    }

    static IEnumerable<Candidate[]> Combinations(IReadOnlyList<Candidate> pool, int k, int from = 0)
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
