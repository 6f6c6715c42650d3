using System.Globalization;

namespace Marketplace.Cli.Parsing;

// Durations as people type them: "90s", "30m", "8h", "7d", "1.5h", or a TimeSpan such as "00:10:00".
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && n >= 0 && !double.IsInfinity(n))
        {
            TimeSpan? parsed = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
            if (parsed is { } value)
            {
                duration = value;
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    public static string Show(TimeSpan duration) =>
        duration.TotalDays >= 1 && duration.TotalDays % 1 == 0 ? $"{duration.TotalDays:0}d"
        : duration.TotalHours >= 1 && duration.TotalHours % 1 == 0 ? $"{duration.TotalHours:0}h"
        : duration.TotalMinutes >= 1 && duration.TotalMinutes % 1 == 0 ? $"{duration.TotalMinutes:0}m"
        : $"{duration.TotalSeconds:0.###}s";
}
