using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Provider.Domain;

// A window of whole hours [Start, End), the unit the capacity calendar is kept in.
public readonly record struct HourWindow(DateTimeOffset Start, DateTimeOffset End)
{
    public int Hours => (int)((End - Start).Ticks / TimeSpan.TicksPerHour);

    // Slot numbers: hours since the Unix epoch.
    public long FirstSlot => Start.ToUnixTimeSeconds() / 3600;

    public static HourWindow From(TimeWindow? window, string field, TimeSpan maxLength)
    {
        if (window?.Start is null || window.End is null)
            throw new InvalidFieldException(field, "start and end are required");
        var start = ToTime(window.Start, $"{field}.start");
        var end = ToTime(window.End, $"{field}.end");
        if (end <= start)
            throw new InvalidFieldException($"{field}.end", "must be after start");
        if (end - start > maxLength)
            throw new InvalidFieldException(field, $"must be at most {maxLength.TotalDays:0} days");
        return new HourWindow(start, end);
    }

    public TimeWindow ToProto() => new()
    {
        Start = Timestamp.FromDateTimeOffset(Start),
        End = Timestamp.FromDateTimeOffset(End),
    };

    static DateTimeOffset ToTime(Timestamp timestamp, string field)
    {
        if (timestamp.Seconds % 3600 != 0 || timestamp.Nanos != 0)
            throw new InvalidFieldException(field, "must be on a whole hour (UTC)");
        try
        {
            return timestamp.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            throw new InvalidFieldException(field, "is out of range");
        }
    }
}
