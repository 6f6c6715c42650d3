namespace Marketplace.Billing.Domain;

// The calendar of billing periods: calendar months (UTC) when `hours` is 0, else consecutive periods of
// that many hours aligned to the Unix epoch. Closing cuts the calendar: every period before the cut is
// closed, and a period the cut falls inside goes on from the cut (an operator closing early).
//
// A posting is billed in the bucket of its usage hour's period, unless that period is closed: then in
// the open period that starts at the cut, where it is an adjustment.
public sealed class BillingPeriods(int hours)
{
    public BillingPeriods(BillingOptions options) : this(options.InvoicePeriodHours)
    {
    }

    public DateTimeOffset StartOf(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        if (hours <= 0)
            return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var length = TimeSpan.FromHours(hours).Ticks;
        var sinceEpoch = (utc - DateTimeOffset.UnixEpoch).Ticks;
        return DateTimeOffset.UnixEpoch.AddTicks(sinceEpoch - Mod(sinceEpoch, length));
    }

    // The end of the period `t` falls in.
    public DateTimeOffset EndOf(DateTimeOffset t) =>
        hours <= 0 ? StartOf(t).AddMonths(1) : StartOf(t).AddHours(hours);

    // The bucket a usage hour is billed in, while every bucket before `closedThrough` is closed.
    public DateTimeOffset BucketOf(DateTimeOffset usageHour, DateTimeOffset closedThrough) =>
        StartOf(usageHour) >= closedThrough ? StartOf(usageHour) : closedThrough;

    // The invoice period of a bucket closed by `cut`: to its period's end, or to the cut if earlier.
    public DateTimeOffset EndOfClosed(DateTimeOffset bucket, DateTimeOffset cut) =>
        EndOf(bucket) < cut ? EndOf(bucket) : cut;

    // The closed period a usage hour fell in, given every cut made so far (ascending): from the later of
    // its period's start and the last cut at or before it, to the earlier of its period's end and the
    // first cut after it.
    public (DateTimeOffset Start, DateTimeOffset End) ClosedPeriodOf(DateTimeOffset usageHour, IReadOnlyList<DateTimeOffset> cuts)
    {
        var (start, end) = (StartOf(usageHour), EndOf(usageHour));
        foreach (var cut in cuts)
        {
            if (cut <= usageHour && cut > start)
                start = cut;
            if (cut > usageHour && cut < end)
                end = cut;
        }
        return (start, end);
    }

    // A bucket an open draft may be asked for: a period's own start, or the cut it goes on from.
    public bool IsBucketStart(DateTimeOffset t, DateTimeOffset closedThrough) => t == StartOf(t) || t == closedThrough;

    static long Mod(long a, long b) => (a % b + b) % b;
}
