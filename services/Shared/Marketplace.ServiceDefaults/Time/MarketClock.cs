namespace Marketplace.ServiceDefaults.Time;

// A TimeProvider that runs `Speed` times faster than real time; timers shrink to match.
public sealed class MarketClock : TimeProvider
{
    readonly TimeProvider _real;
    readonly DateTimeOffset _anchor;
    readonly DateTimeOffset _epoch;
    readonly double _speed;

    public MarketClock(MarketClockOptions options, TimeProvider? real = null)
    {
        if (!(options.Speed > 0) || double.IsInfinity(options.Speed))
            throw new ArgumentOutOfRangeException(nameof(options), "MarketClock:Speed must be a positive number");
        _real = real ?? System;
        _anchor = options.Anchor ?? _real.GetUtcNow();
        _epoch = options.Epoch ?? _anchor;
        _speed = options.Speed;
    }

    public double Speed => _speed;

    public override DateTimeOffset GetUtcNow() =>
        _epoch + TimeSpan.FromTicks((long)((_real.GetUtcNow() - _anchor).Ticks * _speed));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _real.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    // Real time a market interval takes.
    public TimeSpan ToReal(TimeSpan market) => Scale(market);

    TimeSpan Scale(TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan ? span : TimeSpan.FromTicks((long)(span.Ticks / _speed));
}
