using System.CommandLine;

namespace Marketplace.Cli.Parsing;

// A duration option ("90s", "8h", "7d") with its default written as people write it, and errors naming the option.
public sealed class DurationOption : Option<TimeSpan?>
{
    readonly TimeSpan _default;

    public DurationOption(string name, string description, TimeSpan defaultValue) : base(name)
    {
        _default = defaultValue;
        Description = $"{description} [default: {Durations.Show(defaultValue)}]";
        HelpName = "duration";
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Durations.TryParse(text, out var duration))
                return duration;
            result.AddError($"{name}: '{text}' is not a duration; use e.g. 90s, 30m, 8h, 7d");
            return null;
        };
    }

    public TimeSpan ValueIn(ParseResult parse) => parse.GetValue(this) ?? _default;
}
