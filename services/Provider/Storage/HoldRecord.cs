using System.Globalization;

namespace Marketplace.Provider.Storage;

// A hold as calendar.lua keeps it: "state|units|first|last|expires_ms|lease_id|created_ms|metered_until|idem_key".
// Slots are hours since the Unix epoch; the hold covers slots First..Last inclusive.
public sealed record HoldRecord(string State, int Units, long First, long Last, long ExpiresMs, string LeaseId,
    long CreatedMs, long MeteredUntil, string IdempotencyKey)
{
    public static HoldRecord Parse(string record)
    {
        var f = record.Split('|');
        return new HoldRecord(f[0], int.Parse(f[1], CultureInfo.InvariantCulture), Long(f[2]), Long(f[3]), Long(f[4]),
            f[5], Long(f[6]), Long(f[7]), f[8]);
    }

    static long Long(string s) => long.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
