using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Domain.Tests;

public sealed class The_market_clock
{
    static readonly DateTimeOffset RealStart = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset Epoch = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void At_speed_3600_turns_one_real_second_into_one_market_hour()
    {
        var real = new HandTurnedTime(RealStart);
        var clock = new MarketClock(new MarketClockOptions { Speed = 3600, Epoch = Epoch }, real);

        real.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(Epoch + TimeSpan.FromHours(1), clock.GetUtcNow());
    }

    [Fact]
    public void Keeps_pace_as_real_time_goes_on()
    {
        var real = new HandTurnedTime(RealStart);
        var clock = new MarketClock(new MarketClockOptions { Speed = 3600, Epoch = Epoch }, real);

        real.Advance(TimeSpan.FromSeconds(1));
        var first = clock.GetUtcNow();
        real.Advance(TimeSpan.FromMilliseconds(500));
        var second = clock.GetUtcNow();

        Assert.Equal(TimeSpan.FromMinutes(30), second - first);
    }

    [Fact]
    public void Starts_at_its_epoch()
    {
        var real = new HandTurnedTime(RealStart);

        var clock = new MarketClock(new MarketClockOptions { Speed = 3600, Epoch = Epoch }, real);

        Assert.Equal(Epoch, clock.GetUtcNow());
    }

    [Fact]
    public void Without_an_epoch_starts_at_the_real_now()
    {
        var real = new HandTurnedTime(RealStart);
        var clock = new MarketClock(new MarketClockOptions { Speed = 60 }, real);

        real.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(RealStart + TimeSpan.FromMinutes(2), clock.GetUtcNow());
    }

    [Fact]
    public void At_the_default_speed_runs_in_real_time()
    {
        var real = new HandTurnedTime(RealStart);
        var clock = new MarketClock(new MarketClockOptions(), real);

        real.Advance(TimeSpan.FromMinutes(7));

        Assert.Equal(real.GetUtcNow(), clock.GetUtcNow());
    }

    [Fact]
    public void Shrinks_a_timers_due_time_and_period_by_its_speed()
    {
        var real = new HandTurnedTime(RealStart);
        var clock = new MarketClock(new MarketClockOptions { Speed = 3600, Epoch = Epoch }, real);

        using var timer = clock.CreateTimer(_ => { }, null, TimeSpan.FromHours(1), TimeSpan.FromHours(2));

        Assert.Equal([(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2))], real.TimersCreated);
    }

    [Fact]
    public void Leaves_an_infinite_timer_infinite()
    {
        var real = new HandTurnedTime(RealStart);
        var clock = new MarketClock(new MarketClockOptions { Speed = 3600 }, real);

        using var timer = clock.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        Assert.Equal([(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)], real.TimersCreated);
    }

    [Fact]
    public void Gives_a_market_delay_the_real_time_it_takes()
    {
        var real = new HandTurnedTime(RealStart);
        var clock = new MarketClock(new MarketClockOptions { Speed = 3600 }, real);

        _ = Task.Delay(TimeSpan.FromHours(6), clock);

        Assert.Equal(TimeSpan.FromSeconds(6), real.TimersCreated.Single().DueTime);
        Assert.Equal(TimeSpan.FromSeconds(6), clock.ToReal(TimeSpan.FromHours(6)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-3600)]
    public void Refuses_a_speed_that_is_not_positive(double speed)
    {
        var options = new MarketClockOptions { Speed = speed };

        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketClock(options, new HandTurnedTime(RealStart)));
    }
}
