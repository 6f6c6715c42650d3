namespace Marketplace.Billing.Ledger;

// A billing event's cursor: the id of its log entry, "<ms>-<seq>", ordered as the log is.
static class LogCursor
{
    public static bool IsCursor(string value) => TryParse(value, out _);

    // "" (before the first entry) sorts first.
    public static int Compare(string a, string b)
    {
        TryParse(a, out var x);
        TryParse(b, out var y);
        return x.CompareTo(y);
    }

    static bool TryParse(string value, out (ulong Ms, ulong Seq) id)
    {
        id = default;
        if (value.Split('-') is not [var ms, var seq] || !ulong.TryParse(ms, out var m) || !ulong.TryParse(seq, out var s))
            return false;
        id = (m, s);
        return true;
    }
}
