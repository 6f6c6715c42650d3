using System.Globalization;
using Marketplace.Common.V1;

namespace Marketplace.Domain.Tests;

public sealed class An_amount_of_money
{
    [Theory]
    [InlineData("0")]
    [InlineData("9.00")]
    [InlineData("0.000000001")]
    [InlineData("-1.5")]
    [InlineData("-0.25")]
    [InlineData("-0.000000001")]
    [InlineData("123456789012.123456789")]
    [InlineData("9223372036854775807.999999999")]
    [InlineData("-9223372036854775808.999999999")]
    public void Survives_the_trip_through_units_and_nanos(string text)
    {
        var amount = decimal.Parse(text, CultureInfo.InvariantCulture);

        var money = Money.FromDecimal(amount, "CNY");

        Assert.Equal(amount, money.ToDecimal());
        Assert.Null(money.Problem());
    }

    [Fact]
    public void Negative_is_split_into_negative_units_and_negative_nanos()
    {
        var money = Money.FromDecimal(-2.25m, "CNY");

        Assert.Equal(-2, money.Units);
        Assert.Equal(-250_000_000, money.Nanos);
    }

    [Fact]
    public void Units_beyond_the_range_of_int_are_kept_whole()
    {
        var amount = (decimal)int.MaxValue * 1000 + 0.5m;

        var money = Money.FromDecimal(amount, "CNY");

        Assert.Equal((long)int.MaxValue * 1000, money.Units);
        Assert.Equal(500_000_000, money.Nanos);
    }

    [Theory]
    [InlineData("1.0000000004", "1")]
    [InlineData("1.0000000005", "1.000000001")]
    [InlineData("-1.0000000005", "-1.000000001")]
    [InlineData("0.1234567894999", "0.123456789")]
    [InlineData("-0.0000000004", "0")]
    public void Is_rounded_to_nine_decimals_half_away_from_zero(string text, string expected)
    {
        var amount = decimal.Parse(text, CultureInfo.InvariantCulture);

        var money = Money.FromDecimal(amount, "CNY");

        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), money.ToDecimal());
    }

    [Theory]
    [InlineData("")]
    [InlineData("CN")]
    [InlineData("cny")]
    [InlineData("CNYX")]
    [InlineData("C1Y")]
    public void With_a_currency_that_is_not_an_ISO_code_has_a_currency_problem(string currency)
    {
        var money = new Money { Currency = currency, Units = 1 };

        var problem = money.Problem();

        Assert.NotNull(problem);
        Assert.Contains("currency", problem);
    }

    [Theory]
    [InlineData(1_000_000_000)]
    [InlineData(-1_000_000_000)]
    [InlineData(int.MaxValue)]
    public void With_nanos_of_a_whole_unit_or_more_has_a_nanos_problem(int nanos)
    {
        var money = new Money { Currency = "CNY", Nanos = nanos };

        var problem = money.Problem();

        Assert.NotNull(problem);
        Assert.Contains("nanos", problem);
    }

    [Theory]
    [InlineData(1, -1)]
    [InlineData(-1, 1)]
    public void With_units_and_nanos_of_opposite_signs_has_a_sign_problem(long units, int nanos)
    {
        var money = new Money { Currency = "CNY", Units = units, Nanos = nanos };

        var problem = money.Problem();

        Assert.NotNull(problem);
        Assert.Contains("sign", problem);
    }

    [Theory]
    [InlineData(0, -999_999_999)]
    [InlineData(0, 999_999_999)]
    [InlineData(-3, 0)]
    public void With_either_part_zero_has_no_problem(long units, int nanos)
    {
        var money = new Money { Currency = "CNY", Units = units, Nanos = nanos };

        Assert.Null(money.Problem());
    }
}
