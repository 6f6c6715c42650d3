using Marketplace.Common.V1;
using Marketplace.Provider.Domain;

namespace Marketplace.Domain.Tests;

public sealed class An_hour_window
{
    static readonly DateTimeOffset Start = Valid.Monday.AddHours(5);

    [Fact]
    public void Counts_its_whole_hours_and_numbers_its_first_slot_in_hours_since_the_Unix_epoch()
    {
        var proto = new TimeWindow { Start = Valid.At(Start), End = Valid.At(Start.AddDays(3)) };

        var window = HourWindow.From(proto, "window", TimeSpan.FromDays(7));

        Assert.Equal(72, window.Hours);
        Assert.Equal((Start - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerHour, window.FirstSlot);
    }

    [Fact]
    public void Survives_the_trip_to_its_proto_and_back()
    {
        var window = new HourWindow(Start, Start.AddHours(9));

        var back = HourWindow.From(window.ToProto(), "window", TimeSpan.FromDays(1));

        Assert.Equal(window, back);
    }

    [Fact]
    public void Of_exactly_the_maximum_length_is_accepted()
    {
        var proto = new TimeWindow { Start = Valid.At(Start), End = Valid.At(Start.AddDays(7)) };

        var window = HourWindow.From(proto, "window", TimeSpan.FromDays(7));

        Assert.Equal(7 * 24, window.Hours);
    }

    [Fact]
    public void Before_the_Unix_epoch_still_needs_whole_hours()
    {
        var early = DateTimeOffset.UnixEpoch.AddHours(-3);
        var proto = new TimeWindow { Start = Valid.At(early.AddMinutes(-30)), End = Valid.At(early.AddHours(2)) };

        var error = Assert.Throws<Marketplace.ServiceDefaults.Errors.InvalidFieldException>(() =>
            HourWindow.From(proto, "window", TimeSpan.FromDays(1)));

        Assert.Equal("window.start", error.Field);
    }
}
