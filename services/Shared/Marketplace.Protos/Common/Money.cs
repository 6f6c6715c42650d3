namespace Marketplace.Common.V1;

// Money on the wire is units + nanos; in code it is decimal. Never a double.
public partial class Money
{
    const decimal NanosPerUnit = 1_000_000_000m;

    public static Money FromDecimal(decimal amount, string currency)
    {
        var rounded = Math.Round(amount, 9, MidpointRounding.AwayFromZero);
        var units = decimal.Truncate(rounded);
        return new Money
        {
            Currency = currency,
            Units = (long)units,
            Nanos = (int)((rounded - units) * NanosPerUnit),
        };
    }

    public decimal ToDecimal() => Units + Nanos / NanosPerUnit;

    // Well formed: a currency code, nanos within one unit and of the same sign as units.
    public string? Problem()
    {
        if (Currency.Length != 3 || !Currency.All(char.IsAsciiLetterUpper))
            return "currency must be a 3-letter ISO 4217 code";
        if (Nanos is <= -1_000_000_000 or >= 1_000_000_000)
            return "nanos must be within (-1e9, 1e9)";
        if ((Units > 0 && Nanos < 0) || (Units < 0 && Nanos > 0))
            return "units and nanos must have the same sign";
        return null;
    }
}
