using System.Globalization;

namespace Marketplace.Cli.Tests;

// Values as a person would type them on the command line.
public static class Sample
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset NextHour(DateTimeOffset t) =>
        new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
}
