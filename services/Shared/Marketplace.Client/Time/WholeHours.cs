namespace Marketplace.ServiceDefaults.Time;

// Capacity, leases and quotes run on whole UTC hours.
public static class WholeHours
{
    public static DateTimeOffset Floor(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    // The first whole hour at or after t.
    public static DateTimeOffset Ceiling(DateTimeOffset t)
    {
        var hour = Floor(t);
        return hour == t ? hour : hour.AddHours(1);
    }
}
