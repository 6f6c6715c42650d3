namespace Marketplace.ServiceDefaults.Time;

// One setting makes every service run the same accelerated time (demos, tests). Default: real time.
// Market time = Epoch + (real now - Anchor) x Speed, so services given the same three values agree
// however far apart they started.
public sealed class MarketClockOptions
{
    public const string Section = "MarketClock";

    // The real instant the market clock counts from; unset: when the process starts.
    public DateTimeOffset? Anchor { get; set; }

    // The market time at the anchor; unset: the anchor itself.
    public DateTimeOffset? Epoch { get; set; }

    // Market seconds per real second, e.g. 3600 for an hour a second.
    public double Speed { get; set; } = 1;
}
