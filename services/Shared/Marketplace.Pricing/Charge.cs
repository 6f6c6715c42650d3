namespace Marketplace.Pricing;

// What an hour, a part or a whole lease costs, in fen: the amount before vouchers, the voucher's share
// and the platform's fee. The tenant pays the amount less the voucher; the provider is paid the amount
// less the fee.
public readonly record struct Charge(long AmountFen, long VoucherFen, long FeeFen)
{
    public long TenantDueFen => AmountFen - VoucherFen;
    public long PayableFen => AmountFen - FeeFen;

    public static Charge operator +(Charge a, Charge b) =>
        new(a.AmountFen + b.AmountFen, a.VoucherFen + b.VoucherFen, a.FeeFen + b.FeeFen);

    public static Charge operator -(Charge a, Charge b) =>
        new(a.AmountFen - b.AmountFen, a.VoucherFen - b.VoucherFen, a.FeeFen - b.FeeFen);
}
