using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;

namespace Marketplace.Cli.Output;

// How market values read in a table: money to the fen, times in UTC to the minute, shares as percent.
public static class Cells
{
    public static string Money(Money? money) => money is null ? "" : Amount(money.ToDecimal());

    public static string Amount(decimal amount) => amount.ToString("#,0.00", CultureInfo.InvariantCulture);

    public static string Time(Timestamp? time) => time is null ? "" : Time(time.ToDateTimeOffset());

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

    public static string Window(TimeWindow? window) =>
        window?.Start is null || window.End is null ? "" : $"{Time(window.Start)} .. {Time(window.End)}";

    public static double Hours(TimeWindow? window) =>
        window?.Start is null || window.End is null ? 0 : (window.End.ToDateTimeOffset() - window.Start.ToDateTimeOffset()).TotalHours;

    public static string Percent(double share) => share.ToString("0.0%", CultureInfo.InvariantCulture);

    public static string Number(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    // LEASE_STATE_ACTIVE -> active: the enum's own name, as a person would say it.
    public static string State(System.Enum state)
    {
        var name = state.ToString();
        return name == "Unspecified" ? "" : string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + c : c.ToString())).ToLowerInvariant();
    }
}
