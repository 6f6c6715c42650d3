namespace Marketplace.Provider.Domain;

// The calendar's unit: one hour, numbered from the Unix epoch.
public static class Slots
{
    public static long Of(DateTimeOffset time) => time.ToUnixTimeSeconds() / 3600;

    public static DateTimeOffset Start(long slot) => DateTimeOffset.FromUnixTimeSeconds(slot * 3600);

    // The slots of a window [start, end): first and last inclusive.
    public static (long First, long Last) Of(HourWindow window) => (Of(window.Start), Of(window.End) - 1);
}
