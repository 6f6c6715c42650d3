using System.CommandLine;

namespace Marketplace.Cli.Parsing;

// An instant option ("now", "+2d", "-30d", ISO 8601 in UTC), unset staying null so each command picks its own
// default; errors name the option.
public sealed class TimeOption : Option<DateTimeOffset?>
{
    public TimeOption(string name, string description) : base(name)
    {
        Description = $"{description}: now, +DURATION or -DURATION (e.g. +2d) or ISO 8601 in UTC";
        HelpName = "time";
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (MarketTime.TryParse(text, DateTimeOffset.UtcNow, out var instant))
                return instant;
            result.AddError($"{name}: '{text}' is not a time; use now, +2d or 2025-11-24T08:00Z");
            return null;
        };
    }
}
