using System.Globalization;

namespace Marketplace.Cli.Parsing;

// Instants as people type them: "now", "+2d" or "-30d" (from now), or ISO 8601 ("2025-11-24T08:00Z"; UTC when no offset).
public static class MarketTime
{
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset instant)
    {
        instant = default;
        text = text.Trim();
        if (text.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            instant = now;
            return true;
        }
        if (text.Length > 1 && text[0] is '+' or '-' && Durations.TryParse(text[1..], out var offset))
        {
            instant = text[0] == '+' ? now + offset : now - offset;
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }
}
