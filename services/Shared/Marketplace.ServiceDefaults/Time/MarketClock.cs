namespace Marketplace.ServiceDefaults.Time;

// A TimeProvider that runs `speed` times faster than real time from `epoch`; timers shrink to match.
public sealed class MarketClock : TimeProvider
{
    readonly TimeProvider _real;
    readonly DateTimeOffset _epoch;
    readonly long _startTimestamp;
    readonly double _speed;

    public MarketClock(MarketClockOptions options, TimeProvider? real = null)
    {
        if (!(options.Speed > 0) || double.IsInfinity(options.Speed))
            throw new ArgumentOutOfRangeException(nameof(options), "MarketClock:Speed must be a positive number");
        _real = real ?? System;
        _epoch = options.Epoch ?? _real.GetUtcNow();
        _startTimestamp = _real.GetTimestamp();
        _speed = options.Speed;
    }

    public double Speed => _speed;

    public override DateTimeOffset GetUtcNow() =>
        _epoch + _real.GetElapsedTime(_startTimestamp) * _speed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _real.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    // Real time a market interval takes.
    public TimeSpan ToReal(TimeSpan market) => Scale(market);

    TimeSpan Scale(TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan ? span : TimeSpan.FromTicks((long)(span.Ticks / _speed));
}
