namespace Marketplace.Console.Exchange;

// Free capacity in one hub's region for one model and hour, cheapest level first.
public sealed record AskView(string Hub, string Region, string Model, long Hour, IReadOnlyList<LevelView> Levels);
