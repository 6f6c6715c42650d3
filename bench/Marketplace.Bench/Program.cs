using Marketplace.Bench;
using Marketplace.Bench.Scenarios;

IScenario[] all = [new UnaryRoundTrip(), new QuoteRequests(), new CatalogSnapshots(), new QuoteAccepts(), new BillingIngest(), new LedgerOnCluster(), new BillingWatch(), new NoisyNeighbour(), new ServiceMemory(), new AuctionClearing()];

BenchOptions options;
try { options = BenchOptions.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}\n{BenchOptions.Usage}");
    return 2;
}

if (options.List)
{
    foreach (var scenario in all)
        Console.WriteLine($"{scenario.Name,-18} {scenario.Description}\n{"",-18} baseline: {scenario.Baseline}");
    return 0;
}

var unknown = options.Scenarios.Except(all.Select(s => s.Name)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"bench: unknown scenario {string.Join(", ", unknown)}; --list shows them");
    return 2;
}
var selected = options.Scenarios.Count == 0 ? all : all.Where(s => options.Scenarios.Contains(s.Name)).ToArray();

// The in-process hosts take the working directory as content root and watch it for appsettings files:
// the build output is small and holds none, as under a test runner.
Directory.SetCurrentDirectory(AppContext.BaseDirectory);

// Ctrl+C cancels the run instead of killing the process, so the Redis and RabbitMQ we started are stopped.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

Report.PrintMachine(options);
var failed = new List<string>();
await using (var context = new BenchContext(options))
{
    foreach (var scenario in selected)
    {
        Console.Error.WriteLine($"{scenario.Name}: starting");
        try
        {
            Report.Print(scenario, await scenario.RunAsync(context, stop.Token));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("bench: cancelled");
            return 130;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"bench: scenario {scenario.Name} failed: {e.Message}\n{e}");
            failed.Add(scenario.Name);
        }
    }
}

if (failed.Count == 0) return 0;
Console.Error.WriteLine($"bench: FAILED: {string.Join(", ", failed)}");
return 1;
