using Marketplace.Cli.Parsing;
using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Cli.Tests;

public sealed class Typed_values
{
    static readonly DateTimeOffset Now = new(2025, 11, 24, 8, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("8h", 28800)]
    [InlineData("1.5h", 5400)]
    [InlineData("7d", 604800)]
    [InlineData("00:10:00", 600)]
    public void Durations_read_as_people_write_them(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5m")]
    [InlineData("h")]
    public void Durations_refuse_what_is_not_one(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData("now", "2025-11-24T08:30:00Z")]
    [InlineData("+2d", "2025-11-26T08:30:00Z")]
    [InlineData("-30m", "2025-11-24T08:00:00Z")]
    [InlineData("2025-12-01T06:00Z", "2025-12-01T06:00:00Z")]
    [InlineData("2025-12-01 06:00", "2025-12-01T06:00:00Z")]
    public void Times_are_now_relative_or_iso_in_utc(string text, string expected)
    {
        Assert.True(MarketTime.TryParse(text, Now, out var instant));
        Assert.Equal(DateTimeOffset.Parse(expected), instant);
    }

    [Fact]
    public void Capacity_windows_widen_to_whole_hours()
    {
        Assert.Equal(new DateTimeOffset(2025, 11, 24, 8, 0, 0, TimeSpan.Zero), WholeHours.Floor(Now));
        Assert.Equal(new DateTimeOffset(2025, 11, 24, 9, 0, 0, TimeSpan.Zero), WholeHours.Ceiling(Now));
        Assert.Equal(Now.AddMinutes(30), WholeHours.Ceiling(Now.AddMinutes(30)));
    }
}
