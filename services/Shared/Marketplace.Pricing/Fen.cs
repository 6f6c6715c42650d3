namespace Marketplace.Pricing;

// The market counts money in fen (0.01 yuan) as whole numbers, so sums stay exact. The one rounding
// rule: to the nearest fen, halves away from zero (commercial rounding). It is applied only to
// running totals (see LeaseCharges), never to each hour on its own, so parts always sum to the whole.
public static class Fen
{
    public static long Round(decimal yuan) => (long)Math.Round(yuan * 100m, MidpointRounding.AwayFromZero);

    public static decimal ToYuan(long fen) => fen / 100m;

    // A share of an amount in fen, rounded by the same rule.
    public static long Percent(long fen, decimal percent) => (long)Math.Round(fen * percent / 100m, MidpointRounding.AwayFromZero);
}
