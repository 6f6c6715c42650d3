namespace Marketplace.Console.Exchange;

// One point of the price chart: a hub's price for one model in one auction, over its hours and the hub's
// provinces, weighted by the accelerators traded at each (a plain mean where nothing traded), to the fen.
public sealed record HubPriceView(string Hub, string Model, long PriceFen, int Accelerators)
{
    public static IReadOnlyList<HubPriceView> Of(IEnumerable<PriceView> prices) =>
        prices.GroupBy(p => (p.Hub, p.Model))
            .Select(g =>
            {
                var traded = g.Sum(p => p.Accelerators);
                var mean = traded > 0
                    ? g.Sum(p => (decimal)p.PriceFen * p.Accelerators) / traded
                    : g.Average(p => (decimal)p.PriceFen);
                return new HubPriceView(g.Key.Hub, g.Key.Model, (long)Math.Round(mean, MidpointRounding.AwayFromZero), traded);
            })
            .OrderBy(h => h.Hub, StringComparer.Ordinal).ThenBy(h => h.Model, StringComparer.Ordinal)
            .ToList();
}
