namespace Marketplace.Domain.Tests;

// Real time that moves only when a test turns it, and records the timers asked of it.
sealed class HandTurnedTime(DateTimeOffset start) : TimeProvider
{
    long _elapsedTicks;

    public List<(TimeSpan DueTime, TimeSpan Period)> TimersCreated { get; } = [];

    public void Advance(TimeSpan by) => _elapsedTicks += by.Ticks;

    public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks(_elapsedTicks);

    public override long GetTimestamp() => _elapsedTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        TimersCreated.Add((dueTime, period));
        return new NeverFiringTimer();
    }

    sealed class NeverFiringTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
