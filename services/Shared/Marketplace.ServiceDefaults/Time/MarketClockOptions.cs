namespace Marketplace.ServiceDefaults.Time;

// One setting makes every service run the same accelerated time (demos, tests). Default: real time.
public sealed class MarketClockOptions
{
    public const string Section = "MarketClock";

    // The market time at which the clock starts; unset: now.
    public DateTimeOffset? Epoch { get; set; }

    // Market seconds per real second, e.g. 3600 for an hour a second.
    public double Speed { get; set; } = 1;
}
