namespace Marketplace.Bench;

// What the command line asked for. No scenario names means all of them.
public sealed record BenchOptions(IReadOnlyList<string> Scenarios, int Seconds, int WarmUpSeconds, int Concurrency,
    int Events, bool List)
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench/Marketplace.Bench -- [scenario ...] " +
        "[--seconds N (5)] [--warmup N (2)] [--rounds N (3)] [--concurrency N (64)] [--events N (20000), billing-ingest] " +
        "[--offers N,N,.. (100,1000,10000), quote] [--callers N,N,.. (1,16,64), accept and billing-ingest] " +
        "[--watchers N,N,.. (1,100,1000), billing-watch] [--bids N,N,.. (1000,10000)] [--asks N,N,.. (100,1000)] [--seed N (42)], auction " +
        "[--quotes-in-market] [--list]";

    // Baseline and subject alternate this many times; each figure is the median of the per-round ratios.
    public int Rounds { get; init; } = 3;

    // The sweeps that show how a cost grows with the work.
    public IReadOnlyList<int> Offers { get; init; } = [100, 1_000];
    public IReadOnlyList<int> Callers { get; init; } = [1, 16, 64];
    public IReadOnlyList<int> Watchers { get; init; } = [1, 100, 1_000];
    public IReadOnlyList<int> Bids { get; init; } = [1_000, 10_000];
    public IReadOnlyList<int> Asks { get; init; } = [100, 1_000];

    // Brokers keep their quotes in the market's Redis (AOF, fsync always) instead of a quote cache of
    // their own: the layout without ConnectionStrings:QuoteCache, for comparison.
    public bool QuotesInMarket { get; init; }

    // What seeded generators start from (the auction's books), printed so a run can be replayed.
    public int Seed { get; init; } = 42;

    public TimeSpan Measured => TimeSpan.FromSeconds(Seconds);
    public TimeSpan WarmUp => TimeSpan.FromSeconds(WarmUpSeconds);

    public static BenchOptions Parse(string[] args)
    {
        var scenarios = new List<string>();
        int seconds = 5, warmUp = 2, concurrency = 64, events = 20_000, rounds = 3, seed = 42;
        IReadOnlyList<int> offers = [100, 1_000, 10_000], callers = [1, 16, 64], watchers = [1, 100, 1_000];
        IReadOnlyList<int> bids = [1_000, 10_000], asks = [100, 1_000];
        var list = false;
        var quotesInMarket = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = Positive(args, ++i); break;
                case "--warmup": warmUp = Positive(args, ++i); break;
                case "--rounds": rounds = Positive(args, ++i); break;
                case "--concurrency": concurrency = Positive(args, ++i); break;
                case "--events": events = Positive(args, ++i); break;
                case "--offers": offers = PositiveList(args, ++i); break;
                case "--callers": callers = PositiveList(args, ++i); break;
                case "--watchers": watchers = PositiveList(args, ++i); break;
                case "--bids": bids = PositiveList(args, ++i); break;
                case "--asks": asks = PositiveList(args, ++i); break;
                case "--seed": seed = Positive(args, ++i); break;
                case "--list": list = true; break;
                case "--quotes-in-market": quotesInMarket = true; break;
                case var option when option.StartsWith('-'): throw new ArgumentException($"unknown option '{option}'");
                case var name: scenarios.Add(name); break;
            }
        }
        return new BenchOptions(scenarios, seconds, warmUp, concurrency, events, list)
            { Rounds = rounds, Offers = offers, Callers = callers, Watchers = watchers, Bids = bids, Asks = asks, Seed = seed,
              QuotesInMarket = quotesInMarket };
    }

    static int Positive(string[] args, int i) =>
        i < args.Length && int.TryParse(args[i], out var value) && value > 0
            ? value
            : throw new ArgumentException($"{args[i - 1]} needs a positive whole number");

    static IReadOnlyList<int> PositiveList(string[] args, int i) =>
        i < args.Length && args[i].Split(',') is var parts && parts.All(p => int.TryParse(p, out var v) && v > 0)
            ? parts.Select(int.Parse).Distinct().Order().ToList()
            : throw new ArgumentException($"{args[i - 1]} needs positive whole numbers separated by commas");
}
