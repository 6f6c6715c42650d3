namespace Marketplace.Reference;

// Round-trip times between regions in milliseconds; symmetric.
public sealed class LatencyTable(double intraRegionMs, IReadOnlyDictionary<(string, string), double> pairs)
{
    public double IntraRegionMs => intraRegionMs;

    public double? RoundTripMs(string fromRegion, string toRegion)
    {
        if (fromRegion == toRegion)
            return intraRegionMs;
        var key = string.CompareOrdinal(fromRegion, toRegion) < 0 ? (fromRegion, toRegion) : (toRegion, fromRegion);
        return pairs.TryGetValue(key, out var ms) ? ms : null;
    }
}
