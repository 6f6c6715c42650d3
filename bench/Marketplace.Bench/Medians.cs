namespace Marketplace.Bench;

public static class Medians
{
    // The middle value (the mean of the middle two for an even count); NaN when there is nothing, or when a
    // figure does not exist (a drain has no per-call latency).
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0 || sorted.Any(double.IsNaN)) return double.NaN;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
