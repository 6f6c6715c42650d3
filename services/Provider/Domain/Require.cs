using System.Text.RegularExpressions;
using Marketplace.Common.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Provider.Domain;

// Field checks that name the field at fault.
static partial class Require
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._/-]{0,127}$")]
    private static partial Regex IdPattern();

    public static void Id(string value, string field)
    {
        if (!IdPattern().IsMatch(value))
            throw new InvalidFieldException(field, "must be 1-128 of a-z 0-9 . _ / - starting with a letter or digit");
    }

    [GeneratedRegex("^[A-Za-z0-9._:/-]{0,128}$")]
    private static partial Regex KeyPattern();

    // Optional client keys (idempotency, lease ids): printable, no separators the calendar uses.
    public static void Key(string value, string field)
    {
        if (!KeyPattern().IsMatch(value))
            throw new InvalidFieldException(field, "must be at most 128 of A-Z a-z 0-9 . _ : / -");
    }

    public static void NotBlank(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidFieldException(field, "is required");
    }

    public static decimal NonNegativeMoney(Money? money, string field)
    {
        if (money is null)
            throw new InvalidFieldException(field, "is required");
        if (money.Problem() is { } problem)
            throw new InvalidFieldException(field, problem);
        var amount = money.ToDecimal();
        if (amount < 0)
            throw new InvalidFieldException(field, "must not be negative");
        return amount;
    }

    public static decimal PositiveMoney(Money? money, string field)
    {
        var amount = NonNegativeMoney(money, field);
        if (amount == 0)
            throw new InvalidFieldException(field, "must be positive");
        return amount;
    }
}
