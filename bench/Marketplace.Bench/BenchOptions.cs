namespace Marketplace.Bench;

// What the command line asked for. No scenario names means all of them.
public sealed record BenchOptions(IReadOnlyList<string> Scenarios, int Seconds, int WarmUpSeconds, int Concurrency,
    int Events, bool List)
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench/Marketplace.Bench -- [scenario ...] " +
        "[--seconds N (10)] [--warmup N (2)] [--concurrency N (64)] [--events N (20000), billing-ingest] [--list]";

    public TimeSpan Measured => TimeSpan.FromSeconds(Seconds);
    public TimeSpan WarmUp => TimeSpan.FromSeconds(WarmUpSeconds);

    public static BenchOptions Parse(string[] args)
    {
        var scenarios = new List<string>();
        int seconds = 10, warmUp = 2, concurrency = 64, events = 20_000;
        var list = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = Positive(args, ++i); break;
                case "--warmup": warmUp = Positive(args, ++i); break;
                case "--concurrency": concurrency = Positive(args, ++i); break;
                case "--events": events = Positive(args, ++i); break;
                case "--list": list = true; break;
                case var option when option.StartsWith('-'): throw new ArgumentException($"unknown option '{option}'");
                case var name: scenarios.Add(name); break;
            }
        }
        return new BenchOptions(scenarios, seconds, warmUp, concurrency, events, list);
    }

    static int Positive(string[] args, int i) =>
        i < args.Length && int.TryParse(args[i], out var value) && value > 0
            ? value
            : throw new ArgumentException($"{args[i - 1]} needs a positive whole number");
}
