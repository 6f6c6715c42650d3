using Marketplace.Common.V1;

namespace Marketplace.Billing.Domain;

// The ledger counts in fen (0.01 yuan, the smallest unit of CNY) as whole numbers: sums stay exact.
public static class Fen
{
    public static long Of(decimal amount) => (long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero);

    public static decimal ToAmount(long fen) => fen / 100m;

    public static Money ToMoney(long fen, string currency) => Money.FromDecimal(ToAmount(fen), currency);
}
