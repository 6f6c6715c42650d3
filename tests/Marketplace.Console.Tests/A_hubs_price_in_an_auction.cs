using Marketplace.Console.Exchange;

namespace Marketplace.Console.Tests;

// One point of the operator page's price chart: a hub's price for a model in one auction.
public sealed class A_hubs_price_in_an_auction
{
    const long Hour = 1_764_750_000_000;

    [Fact]
    public void Is_the_mean_of_its_hours_and_provinces_weighted_by_the_accelerators_traded_to_the_fen()
    {
        PriceView[] prices =
        [
            new("guizhou", "guizhou", "H20", Hour, 600, 8),
            new("guizhou", "guizhou", "H20", Hour + 3_600_000, 750, 4),
            new("beijing-tianjin-hebei", "beijing", "H20", Hour, 1200, 3),
            new("beijing-tianjin-hebei", "hebei", "H20", Hour, 1000, 0), // a price no one traded at does not count
        ];

        var hubs = HubPriceView.Of(prices);

        Assert.Equal([new HubPriceView("beijing-tianjin-hebei", "H20", 1200, 3), new HubPriceView("guizhou", "H20", 650, 12)], hubs);
    }

    [Fact]
    public void Is_the_plain_mean_where_nothing_traded_and_rounds_half_away_from_zero()
    {
        PriceView[] prices = [new("gansu", "gansu", "H20", Hour, 501, 0), new("gansu", "gansu", "H20", Hour + 3_600_000, 502, 0)];

        Assert.Equal(502, Assert.Single(HubPriceView.Of(prices)).PriceFen);
    }
}
