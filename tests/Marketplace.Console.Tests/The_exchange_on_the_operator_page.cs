using System.Text.Json;
using Marketplace.Broker.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Console.Tests;

// Asks in an east hub (Shanghai) and two west hubs (Guizhou, Ningxia), of a model no other console test
// sells; tenants bid over gRPC, each bid held to one region so each hub clears on its own: with more free
// capacity than bids, every hub's ask is the marginal one and sets its price.
[Collection(ConsoleCollection.Name)]
public sealed class The_exchange_on_the_operator_page(ConsoleFixture fixture)
{
    const string Model = "MLU370-X8";
    const string Shanghai = "yangtze-river-delta", Guizhou = "guizhou", Ningxia = "ningxia";

    [Fact]
    public async Task Charts_each_hubs_clearing_price_auction_after_auction_and_the_books_depth_and_is_saved_as_a_screenshot()
    {
        await MarketHours.AwayFromTheTurnAsync(TimeSpan.FromMinutes(2));
        var market = fixture.Market;
        var run = Guid.NewGuid().ToString("N")[..6];
        foreach (var (region, hub, city, lat, lon, price, count) in new[]
                 {
                     ("shanghai", Shanghai, "Shanghai", 31.23, 121.47, 12.00m, 16),
                     ("guizhou", Guizhou, "Gui'an", 26.41, 106.40, 6.00m, 16),
                     ("ningxia", Ningxia, "Zhongwei", 37.51, 105.19, 5.00m, 8),
                 })
        {
            var site = await TestSites.RegisterAsync(market, $"xc-{region}-{run}", region, hub, city, lat, lon);
            await TestSites.OfferAsync(market, site.Id, Model, price, count);
        }
        var exchange = new ExchangeService.ExchangeServiceClient(market.Broker.Channel); // the market's operator
        await Eventually.TrueAsync(async () => (await exchange.GetOrderBookAsync(new GetOrderBookRequest { Hours = 1 }))
            .Asks.Count(a => a.AcceleratorModel == Model) == 3, "the three offers in the order book");
        using var bids = new ExchangeBids(market, Model);
        await bids.PlaceAsync($"sh-east-{run}", "shanghai", 8, 2, 14.00m);
        await bids.PlaceAsync($"gz-west-{run}", "guizhou", 8, 2, 9.00m);
        await bids.PlaceAsync($"nx-west-{run}", "ningxia", 4, 2, 7.00m);
        var low = await bids.PlaceAsync($"gz-low-{run}", "guizhou", 4, 1, 4.00m);

        var console = await ConsolePage.SignInAsync(fixture);
        var page = console.Page;
        await page.SelectOptionAsync("#exchange-model", Model);
        // The first hour's cell of a row of the depth table: its accelerators, or its best price in fen.
        async Task<string?> Cell(string row, string data) => await page.EvaluateAsync<string?>(
            $"() => document.querySelector(\"#depth tr[data-row='{row}'] td\")?.dataset.{data}");
        Task<string?> FirstCellAsync(string row) => Cell(row, "accelerators");
        Task<string?> BestFenAsync(string row) => Cell(row, "bestFen");

        // The book before the auction: 24 accelerators bid for the first hour, at most 14.00; each hub's ask.
        await page.WaitForFunctionAsync("() => document.querySelector('#depth tr[data-row=bids] td')?.dataset.accelerators === '24'");
        Assert.Equal(("1400", "16", "1200"), (await BestFenAsync("bids"), await FirstCellAsync(Shanghai), await BestFenAsync(Shanghai)));
        Assert.Equal(("16", "600"), (await FirstCellAsync(Guizhou), await BestFenAsync(Guizhou)));
        Assert.Equal(("8", "500"), (await FirstCellAsync(Ningxia), await BestFenAsync(Ningxia)));

        // Two auctions, cleared while the page watches: each shows as it clears, on the live feed.
        var first = await exchange.RunAuctionAsync(new RunAuctionRequest());
        await bids.PlaceAsync($"sh-east-{run}", "shanghai", 4, 1, 13.00m);
        await bids.PlaceAsync($"gz-west-{run}", "guizhou", 4, 1, 8.00m);
        var second = await exchange.RunAuctionAsync(new RunAuctionRequest());
        await page.WaitForFunctionAsync("id => document.getElementById('auction-summary').dataset.auction === id", second.Id);

        async Task<long[]> PricesOf(string hub) => await page.EvalOnSelectorAllAsync<long[]>(
            $"#price-chart circle.price-point[data-hub='{hub}']", "dots => dots.map(d => +d.dataset.priceFen)");
        var (shanghai, guizhou) = (await PricesOf(Shanghai), await PricesOf(Guizhou));
        Assert.Equal([1200L, 1200L], shanghai[^2..]);
        Assert.Equal([600L, 600L], guizhou[^2..]);
        Assert.Equal(500, (await PricesOf(Ningxia))[^1]); // bid in the first auction only
        Assert.Contains("east", await page.GetAttributeAsync($"#price-chart path[data-hub='{Shanghai}']", "class") ?? "");
        Assert.Contains("west", await page.GetAttributeAsync($"#price-chart path[data-hub='{Guizhou}']", "class") ?? "");
        var labels = await page.TextContentAsync("#price-chart") ?? "";
        foreach (var name in new[] { "Yangtze River Delta ¥12.00", "Guizhou ¥6.00", "Ningxia ¥5.00" })
            Assert.Contains(name, labels);

        // The first auction's unfilled bid, with the broker's reason, and its figures as the broker gave them.
        var lowResult = Assert.Single(first.Bids, b => b.BidId == low.Id);
        Assert.NotEqual(BidState.Filled, lowResult.State);
        Assert.Equal(lowResult.Outcome, await page.TextContentAsync($"#auction-summary li[data-bid='{low.Id}'][data-auction='{first.Id}'] .why"));
        var firstView = await page.EvaluateAsync<JsonElement>(
            "async id => (await (await fetch('/api/exchange/auctions?last=10')).json()).find(a => a.id === id)", first.Id);
        Assert.Equal((first.BidsFilled, first.AcceleratorHours, (long)(first.Surplus.ToDecimal() * 100)),
            (firstView.GetProperty("bidsFilled").GetInt32(), firstView.GetProperty("acceleratorHours").GetInt64(), firstView.GetProperty("surplusFen").GetInt64()));
        await page.ScreenshotAsync(new() { Path = ArtifactsFolder.File("console-exchange.png"), FullPage = true });

        // The book after: the leases took Shanghai's capacity in some of the coming hours, and the depth shows it.
        await page.WaitForFunctionAsync($"() => [...document.querySelectorAll(\"#depth tr[data-row='{Shanghai}'] td\")]" +
            ".reduce((n, td) => n + +td.dataset.accelerators, 0) === 6 * 16 - 8 * 2 - 4");
    }

    [Theory]
    [InlineData("/api/exchange/book?hours=99", "hours")]
    [InlineData("/api/exchange/book?hours=six", "hours")]
    [InlineData("/api/exchange/auctions?last=0", "last")]
    public async Task Bad_input_to_its_endpoints_is_a_400_naming_the_field(string path, string field)
    {
        var console = await ConsolePage.SignInAsync(fixture);

        var response = await console.Page.APIRequest.GetAsync(path);

        Assert.Equal(400, response.Status);
        var problem = await response.JsonAsync();
        Assert.True(problem!.Value.GetProperty("errors").TryGetProperty(field, out _), await response.TextAsync());
    }

}
