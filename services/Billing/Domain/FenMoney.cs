using Marketplace.Common.V1;
using Marketplace.Pricing;

namespace Marketplace.Billing.Domain;

// The ledger's whole fen as the contract's Money, and back, by the market's one rounding rule.
public static class FenMoney
{
    public static Money ToMoney(long fen, string currency) => Money.FromDecimal(Fen.ToYuan(fen), currency);

    public static long ToFen(this Money money) => Fen.Round(money.ToDecimal());
}
