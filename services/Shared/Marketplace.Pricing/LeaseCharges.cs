namespace Marketplace.Pricing;

// Prices a lease hour by hour so that the hours sum exactly to the lease: the quote shows the totals,
// billing posts one hour at a time, and both come from here.
//
// The lease's hours are taken in one order (parts in order, each part's hours in time). Every figure
// is a running total rounded once: the amount after k hours is the exact amount of those hours rounded
// to the fen; the voucher's share is its percentage of the covered hours' amounts so far, rounded,
// and capped by what it has left; the fee is its percentage of the amount so far, rounded. An hour's
// charge is the difference between the running totals after and before it, so any set of hours, posted
// in any order, sums to what the quote said, and no hour's voucher or fee exceeds its amount.
public sealed class LeaseCharges
{
    readonly IReadOnlyList<LeasePart> _parts;
    readonly VoucherCover? _voucher;
    readonly decimal _feePercent;
    readonly int[] _firstPosition;

    public LeaseCharges(IReadOnlyList<LeasePart> parts, VoucherCover? voucher = null, decimal feePercent = 0)
    {
        if (parts.Count == 0)
            throw new ArgumentException("a lease has at least one part", nameof(parts));
        if (feePercent is < 0 or > 100)
            throw new ArgumentOutOfRangeException(nameof(feePercent), "must be within 0..100");
        _parts = parts;
        _voucher = voucher;
        _feePercent = feePercent;
        _firstPosition = new int[parts.Count + 1];
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].Units <= 0 || parts[i].Hours <= 0 || parts[i].PricePerHour < 0)
                throw new ArgumentException($"part {i} needs units and hours, and a price that is not negative", nameof(parts));
            _firstPosition[i + 1] = _firstPosition[i] + parts[i].Hours;
        }
    }

    public IReadOnlyList<LeasePart> Parts => _parts;
    public int Hours => _firstPosition[^1];

    public Charge Total => Through(Hours);

    public Charge OfPart(int part) => Through(_firstPosition[part + 1]) - Through(_firstPosition[part]);

    // The charge for one hour of one part (hour 0 is the part's first).
    public Charge OfHour(int part, int hour)
    {
        if ((uint)hour >= (uint)_parts[part].Hours)
            throw new ArgumentOutOfRangeException(nameof(hour), $"part {part} has {_parts[part].Hours} hours");
        var position = _firstPosition[part] + hour;
        return Through(position + 1) - Through(position);
    }

    // The running totals after the first `positions` hours of the lease.
    Charge Through(int positions)
    {
        var exact = 0m;
        var coveredFen = 0L;
        for (var i = 0; i < _parts.Count && _firstPosition[i] < positions; i++)
        {
            var part = _parts[i];
            var hours = Math.Min(part.Hours, positions - _firstPosition[i]);
            var before = Fen.Round(exact);
            exact += part.HourlyAmount * hours;
            if (_voucher is not null && _voucher.CoveredHours(part, hours) is var covered and > 0)
                coveredFen += Fen.Round(exact - part.HourlyAmount * (hours - covered)) - before;
        }
        var amount = Fen.Round(exact);
        var voucher = _voucher is null ? 0 : Fen.Percent(coveredFen, _voucher.SharePercent);
        if (_voucher?.RemainingFen is { } remaining)
            voucher = Math.Min(voucher, Math.Max(0, remaining));
        return new Charge(amount, voucher, Fen.Percent(amount, _feePercent));
    }
}
