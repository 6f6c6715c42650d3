using Marketplace.Broker.Domain;
using Marketplace.Provider.V1;

namespace Marketplace.Domain.Tests;

public sealed class A_free_window
{
    static readonly DateTimeOffset T0 = Valid.Monday;
    static readonly DateTimeOffset FarDeadline = T0.AddDays(30);

    static DateTimeOffset H(int hour) => T0.AddHours(hour);

    static FreeCapacityRun Run(int fromHour, int hours, int free) =>
        new() { Start = Valid.At(H(fromHour)), Hours = hours, Free = free };

    [Fact]
    public void Starts_at_the_first_run_that_holds_it_whole()
    {
        FreeCapacityRun[] runs = [Run(0, 4, 16), Run(4, 8, 16)];

        var start = FreeWindowFinder.Earliest(runs, units: 8, hours: 3, T0, FarDeadline);

        Assert.Equal(H(0), start);
    }

    [Fact]
    public void Spans_adjacent_runs_that_each_have_enough_units()
    {
        FreeCapacityRun[] runs = [Run(0, 3, 16), Run(3, 2, 8), Run(5, 3, 12)];

        var start = FreeWindowFinder.Earliest(runs, units: 8, hours: 8, T0, FarDeadline);

        Assert.Equal(H(0), start);
    }

    [Fact]
    public void Restarts_after_a_gap_between_runs()
    {
        FreeCapacityRun[] runs = [Run(0, 3, 16), Run(4, 5, 16)];

        var start = FreeWindowFinder.Earliest(runs, units: 8, hours: 4, T0, FarDeadline);

        Assert.Equal(H(4), start);
    }

    [Fact]
    public void Restarts_after_a_run_with_too_few_units()
    {
        FreeCapacityRun[] runs = [Run(0, 3, 16), Run(3, 2, 7), Run(5, 6, 16)];

        var start = FreeWindowFinder.Earliest(runs, units: 8, hours: 4, T0, FarDeadline);

        Assert.Equal(H(5), start);
    }

    [Fact]
    public void Finds_the_same_start_whatever_order_the_runs_come_in()
    {
        FreeCapacityRun[] runs = [Run(5, 6, 16), Run(0, 3, 16), Run(3, 2, 7)];

        var start = FreeWindowFinder.Earliest(runs, units: 8, hours: 4, T0, FarDeadline);

        Assert.Equal(H(5), start);
    }

    [Fact]
    public void Starts_no_earlier_than_the_earliest_start_even_inside_a_run()
    {
        FreeCapacityRun[] runs = [Run(0, 24, 16)];

        var start = FreeWindowFinder.Earliest(runs, units: 8, hours: 4, earliest: H(6), FarDeadline);

        Assert.Equal(H(6), start);
    }

    [Fact]
    public void Skips_runs_that_end_by_the_earliest_start()
    {
        FreeCapacityRun[] runs = [Run(0, 6, 16), Run(8, 6, 16)];

        var start = FreeWindowFinder.Earliest(runs, units: 8, hours: 2, earliest: H(6), FarDeadline);

        Assert.Equal(H(8), start);
    }

    [Fact]
    public void Counts_only_the_hours_after_the_earliest_start_across_adjacent_runs()
    {
        FreeCapacityRun[] runs = [Run(0, 4, 16), Run(4, 4, 16)];

        var fits = FreeWindowFinder.Earliest(runs, units: 8, hours: 6, earliest: H(2), FarDeadline);
        var tooLong = FreeWindowFinder.Earliest(runs, units: 8, hours: 7, earliest: H(2), FarDeadline);

        Assert.Equal(H(2), fits);
        Assert.Null(tooLong);
    }

    [Fact]
    public void May_end_exactly_at_the_deadline()
    {
        FreeCapacityRun[] runs = [Run(0, 24, 16)];

        var start = FreeWindowFinder.Earliest(runs, units: 8, hours: 10, T0, deadline: H(10));

        Assert.Equal(H(0), start);
    }

    [Fact]
    public void Is_not_found_when_it_would_end_after_the_deadline()
    {
        FreeCapacityRun[] runs = [Run(0, 3, 16), Run(5, 24, 16)];

        var start = FreeWindowFinder.Earliest(runs, units: 8, hours: 4, T0, deadline: H(8));

        Assert.Null(start);
    }

    [Theory]
    [InlineData(17, 1)]
    [InlineData(8, 25)]
    public void Is_not_found_when_no_run_has_the_units_or_the_hours(int units, int hours)
    {
        FreeCapacityRun[] runs = [Run(0, 24, 16), Run(30, 24, 16)];

        var start = FreeWindowFinder.Earliest(runs, units, hours, T0, FarDeadline);

        Assert.Null(start);
    }

    [Fact]
    public void Is_not_found_in_an_empty_calendar()
    {
        var start = FreeWindowFinder.Earliest([], units: 1, hours: 1, T0, FarDeadline);

        Assert.Null(start);
    }
}
