namespace Marketplace.Console;

// A whole number from the query string, or a 400 naming the parameter (model binding would answer a bare 400).
static class QueryNumber
{
    public static int Parse(string? raw, string name, int min, int max, int absent) =>
        string.IsNullOrWhiteSpace(raw) ? absent
        : int.TryParse(raw, out var value) && value >= min && value <= max ? value
        : throw new BadFieldException(name, $"must be a whole number from {min} to {max}");
}
