namespace Marketplace.Console.Exchange;

// Open bids for one model (exact or class floor) and hour, highest limit first.
public sealed record BidDepthView(string Model, long Hour, IReadOnlyList<LevelView> Levels);
