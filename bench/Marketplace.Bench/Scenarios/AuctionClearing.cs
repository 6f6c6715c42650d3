using System.Diagnostics;
using Marketplace.Broker.Exchange.Clearing;
using Marketplace.Reference;

namespace Marketplace.Bench.Scenarios;

// The exchange's call auction on seeded books of --bids x --asks over 24 hours, in process (no servers):
// where a clearing spends its time (building the programs, SCIP, GLOP, settling), the gap it reports,
// how big its programs are and how many rounds paradoxical blocks cost, against a greedy merit-order match
// of the same book timed in the same round.
public sealed class AuctionClearing : IScenario
{
    const double GoalSeconds = 1.0;
    const string Row = "  {0,-14} {1,-12} {2,8} {3,8} {4,8} {5,8} {6,9} {7,9} {8,8} {9,24} {10,12} {11,9} {12,9} {13,10}";

    public string Name => "auction";
    public string Description =>
        $"call auction clearing {AuctionBooks.Hours} hours of seeded books, --bids x --asks (goal: 10,000 x 1,000 in < {GoalSeconds} s at gap 0)";
    public string Baseline => "greedy merit-order match of the same book (MeritOrderMatcher), same round";

    // The clearing as the market runs it, and as it ran before each change worth keeping an eye on, so old
    // and new share a run: "all takes" puts every take in SCIP's and GLOP's programs, as before ColumnClearing.
    // "LP prices" prices with GLOP where the market uses a min-cost flow, as before FlowProgram.
    // (Clearing the book as one program, as before IndependentBooks, is AuctionRules(Decompose: false).)
    static IReadOnlyList<(string Name, Func<CallAuction> Auction)> Variants =>
    [
        ("all takes", () => new CallAuction(new AuctionRules(AllTakes: true))),
        ("LP prices", () => new CallAuction(new AuctionRules(FlowPrices: false))),
        ("market", () => new CallAuction(new AuctionRules())),
    ];

    public Task<ScenarioOutcome> RunAsync(BenchContext context, CancellationToken ct)
    {
        var options = context.Options;
        var books = new AuctionBooks(MarketReference.Load(), options.Seed);
        var notes = new List<string>
        {
            $"seed {options.Seed} (--seed replays it); {options.Rounds} rounds, each: the baseline, then every variant; one untimed run of each first",
            string.Format(Row, "bids x offers", "variant", "build ms", "MIP ms", "LP ms", "flow ms", "settle ms", "total ms", "gap",
                "vars / rows (integer)", "parts/rounds", "greedy ms", "x greedy", "x surplus"),
        };
        var primed = false;
        foreach (var bids in options.Bids)
            foreach (var asks in options.Asks)
            {
                ct.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                var book = books.Book(bids, asks);
                Console.Error.WriteLine($"auction: {bids:N0} x {asks:N0} book built in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
                notes.Add($"{bids:N0} x {asks:N0}: {Describe(book)}");
                if (!primed)
                {
                    MeritOrderMatcher.Surplus(book);
                    foreach (var (_, auction) in Variants)
                        auction().Clear(book);
                    primed = true;
                }
                notes.AddRange(Measure(book, $"{bids:N0} x {asks:N0}", options.Rounds, ct));
            }
        notes.Add("build: demands, placements and the programs in C#; MIP: SCIP choosing the blocks (all takes: every take and block, " +
                  "gap 0 asked; market: searching past the dive, at most AuctionRules.SearchLimit); LP: GLOP (market: the relaxation grown " +
                  "take by take, the dive and the blocks fixed; all takes: the blocks fixed), whose duals are the prices; flow: MinCostFlow and " +
                  "its potentials, the prices with the blocks fixed where GLOP's would be too slow; settle: dispatch, " +
                  "fills and prices; each a median over the rounds, summed over the " +
                  "clearing's own rounds. x greedy: total against the greedy match of the same round (median of the per-round ratios); " +
                  "x surplus: the auction's surplus against the greedy match's; a gap marked n! had n programs stopped by the time limit " +
                  "(AuctionRules, 10 s each) with no solution, their bids left unfilled");
        return Task.FromResult(new ScenarioOutcome([]) { Notes = notes });
    }

    static IEnumerable<string> Measure(AuctionBook book, string size, int rounds, CancellationToken ct)
    {
        var greedy = new List<double>();
        var runs = Variants.ToDictionary(v => v.Name, _ => new List<(ClearingProfile Profile, AuctionOutcome Outcome)>());
        decimal greedySurplus = 0;
        for (var round = 0; round < rounds; round++)
        {
            ct.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            greedySurplus = MeritOrderMatcher.Surplus(book);
            greedy.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            foreach (var (name, auction) in Variants)
            {
                var profile = new ClearingProfile();
                runs[name].Add((profile, auction().Clear(book, profile)));
            }
        }
        foreach (var (name, _) in Variants)
        {
            var measured = runs[name];
            var last = measured[^1];
            var verdict = size == "10,000 x 1,000" ? Medians.Of(measured.Select(r => r.Profile.Total.TotalSeconds)) < GoalSeconds
                && last.Outcome.Gap == 0 ? " met" : " NOT met" : "";
            yield return string.Format(Row, size, name,
                Ms(measured, p => p.Build), Ms(measured, p => p.SolveMip), Ms(measured, p => p.SolveLp), Ms(measured, p => p.SolveFlow),
                Ms(measured, p => p.Settle),
                Ms(measured, p => p.Total), Gap(last.Outcome.Gap, last.Profile.Unsolved),
                $"{last.Profile.Variables:N0} / {last.Profile.Constraints:N0} ({last.Profile.IntegerVariables:N0})",
                $"{last.Profile.Parts}/{last.Outcome.Rounds}", Medians.Of(greedy).ToString("N1"),
                Report.Ratio(Medians.Of(measured.Select((r, i) => r.Profile.Total.TotalMilliseconds / greedy[i]))),
                greedySurplus > 0 ? Report.Ratio((double)(last.Outcome.Surplus / greedySurplus)) : "-") + verdict;
        }
    }

    static string Ms(List<(ClearingProfile Profile, AuctionOutcome Outcome)> runs, Func<ClearingProfile, TimeSpan> part) =>
        Medians.Of(runs.Select(r => part(r.Profile).TotalMilliseconds)).ToString("N0");

    // A gap of thousands of percent is a solution barely better than nothing: say so rather than print the figure.
    static string Gap(double gap, int unsolved) =>
        (gap == 0 ? "0" : gap > 10 ? ">1000%" : gap.ToString("0.##%")) + (unsolved > 0 ? $" {unsolved}!" : "");

    static string Describe(AuctionBook book)
    {
        var blocks = book.Bids.Count(b => b.AllOrNothing);
        return $"{book.Asks.Count:N0} asks in {book.Asks.Select(a => a.Product).Distinct().Count()} products (region x model), " +
               $"{book.Bids.Count:N0} bids ({blocks:N0} all-or-nothing, {book.Bids.Count(b => b.Sites.Count == 0):N0} with no usable site), " +
               $"{book.Bids.Sum(b => b.Sites.Count) / (double)Math.Max(1, book.Bids.Count):0.0} sites a bid";
    }
}
