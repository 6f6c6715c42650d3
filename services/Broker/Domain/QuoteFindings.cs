namespace Marketplace.Broker.Domain;

// What a quote has found so far, and the total the best `keep` options must beat.
sealed class QuoteFindings(int keep)
{
    // The best `keep` totals, the worst of them first.
    static readonly IComparer<decimal> WorstFirst = Comparer<decimal>.Create((a, b) => b.CompareTo(a));

    readonly PriorityQueue<decimal, decimal> _best = new(keep + 1, WorstFirst);

    public List<QuotePlan> Singles { get; } = [];
    public List<SplitPlanner.Candidate> Partials { get; } = [];
    public List<Exclusion> Excluded { get; } = [];

    public bool Full => _best.Count >= keep;
    public decimal LastBest => _best.Peek();

    public void AddSingle(QuotePlan plan)
    {
        Singles.Add(plan);
        if (!Full)
            _best.Enqueue(plan.Total, plan.Total);
        else if (plan.Total < _best.Peek())
            _best.EnqueueDequeue(plan.Total, plan.Total);
    }
}
