namespace Marketplace.Broker.Domain;

// What a walk of the OfferIndex needs per quote, kept per thread and cleared for the next: the walk is
// synchronous, and allocating these afresh was a third of what a quote allocated.
sealed class WalkScratch
{
    [ThreadStatic] static WalkScratch? _current;

    public ShelfWalk[] Walks = [];
    public ModelJudgement[] Models = [];
    public RegionJudgement[] Regions = [];
    public readonly PriorityQueue<int, decimal> Queue = new();
    public readonly List<int> Blocked = [];

    public static WalkScratch For(OfferIndex index)
    {
        var scratch = _current ??= new WalkScratch();
        if (scratch.Walks.Length < index.Shelves.Count)
            scratch.Walks = new ShelfWalk[index.Shelves.Count];
        if (scratch.Models.Length < index.ModelCount)
            scratch.Models = new ModelJudgement[index.ModelCount];
        if (scratch.Regions.Length < index.RegionCount)
            scratch.Regions = new RegionJudgement[index.RegionCount];
        Array.Clear(scratch.Models, 0, index.ModelCount);
        Array.Clear(scratch.Regions, 0, index.RegionCount);
        scratch.Queue.Clear();
        scratch.Blocked.Clear();
        return scratch;
    }
}

// A shelf's model as the demand sees it, judged once per quote (Known once judged).
readonly record struct ModelJudgement(bool Known, bool Wanted, bool Usable, int UnitHours);

// A shelf's region as the demand sees it, judged once per quote.
readonly record struct RegionJudgement(bool Known, bool Usable, decimal? RoutePerGb, double? RttMs);
