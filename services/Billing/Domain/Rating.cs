namespace Marketplace.Billing.Domain;

// What one usage record costs and how it divides: tenant (less any voucher), provider, platform fee.
public static class Rating
{
    // accelerator-seconds x price per accelerator-hour, rounded to the fen once per usage record.
    public static long AmountFen(long acceleratorSeconds, decimal pricePerHour) =>
        Fen.Of(acceleratorSeconds * pricePerHour / 3600m);

    public static long FeeFen(long amountFen, decimal feePercent) =>
        (long)Math.Round(amountFen * feePercent / 100m, MidpointRounding.AwayFromZero);

    // The most a voucher may pay of an amount: all but the tenant's co-pay. Cap and budget apply later,
    // atomically, where the voucher's spend is kept.
    public static long VoucherShareFen(long amountFen, int tenantCopayPercent) =>
        (long)Math.Round(amountFen * (100 - tenantCopayPercent) / 100m, MidpointRounding.AwayFromZero);
}
