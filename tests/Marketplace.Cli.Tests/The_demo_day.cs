using System.Text.Json;
using Marketplace.Cli.Demo;
using Xunit.Abstractions;

namespace Marketplace.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class The_demo_day(CliMarket fixture, ITestOutputHelper log)
{
    // The day takes seconds of market clock: play it once, look at it from every test.
    static Task<CliRun>? _day;

    Task<CliRun> DayAsync() =>
        LazyInitializer.EnsureInitialized(ref _day, () => fixture.Cli().RunAsync(null, "demo", "--timeout", "60s", "-o", "json"));

    [Fact]
    public async Task Keeps_Shanghai_inference_in_the_Yangtze_River_Delta()
    {
        var shanghai = Job(await Summary(), "shanghai-vision-ai");

        Assert.All(Placements(shanghai), p => Assert.Equal("yangtze-river-delta", p.GetProperty("hubId").GetString()));
        Assert.Contains(shanghai.GetProperty("why").EnumerateArray(), why => why.GetString()!.Contains("> limit 10 ms"));
    }

    [Fact]
    public async Task Runs_Shenzhen_batch_on_domestic_chips_partly_paid_by_its_voucher()
    {
        var day = await Summary();
        var shenzhen = Job(day, "shenzhen-robotics");

        Assert.All(Placements(shenzhen), p => Assert.Equal("domestic", p.GetProperty("origin").GetString()));
        Assert.True(shenzhen.GetProperty("invoiced").GetProperty("voucherCovered").GetDecimal() > 0, shenzhen.ToString());
        Assert.True(day.GetProperty("voucher").GetProperty("spent").GetDecimal() > 0, day.ToString());
    }

    [Fact]
    public async Task Ends_every_lease_and_invoices_every_tenant()
    {
        var day = await Summary();

        Assert.True(day.GetProperty("complete").GetBoolean());
        foreach (var job in day.GetProperty("jobs").EnumerateArray())
        {
            Assert.Equal("ended", job.GetProperty("state").GetString());
            Assert.True(job.GetProperty("invoiced").GetProperty("amount").GetDecimal() > 0, job.ToString());
        }
        Assert.Contains(day.GetProperty("hubs").EnumerateArray(), hub => hub.GetProperty("used").GetInt64() > 0);
    }

    [Fact]
    public async Task Compares_Beijing_training_with_the_nearest_site_at_home()
    {
        var beijing = Job(await Summary(), "beijing-llm-lab");

        var nearest = beijing.GetProperty("nearest");
        Assert.Contains("beijing-tianjin-hebei", nearest.GetProperty("hubIds").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(nearest.GetProperty("total").GetDecimal() - beijing.GetProperty("quoted").GetProperty("total").GetDecimal(),
            beijing.GetProperty("savingVsNearest").GetDecimal());
    }

    [Fact]
    public async Task Clears_the_three_bids_in_one_call_auction_priced_east_and_west()
    {
        var exchange = (await Summary()).GetProperty("exchange");
        var bids = exchange.GetProperty("bids").EnumerateArray().ToList();

        Assert.Equal(3, bids.Count);
        foreach (var bid in bids)
        {
            Assert.Equal("filled", bid.GetProperty("state").GetString());
            Assert.InRange(bid.GetProperty("paidPerHour").GetDecimal(), 0.01m, bid.GetProperty("limit").GetDecimal());
        }
        var shanghai = bids.Single(b => b.GetProperty("tenant").GetString() == "shanghai-vision-ai");
        Assert.Equal(["yangtze-river-delta"], shanghai.GetProperty("hubs").EnumerateArray().Select(h => h.GetString()));
        // Compute is dearer where the users are: every eastern H20 price above every western one.
        var h20 = exchange.GetProperty("prices").EnumerateArray().Where(p => p.GetProperty("model").GetString() == "H20").ToList();
        decimal[] PricesIn(string side) => h20.Where(p => p.GetProperty("side").GetString() == side)
            .Select(p => p.GetProperty("averagePrice").GetDecimal()).ToArray();
        Assert.NotEmpty(PricesIn("east"));
        Assert.NotEmpty(PricesIn("west"));
        Assert.True(PricesIn("east").Min() > PricesIn("west").Max(), exchange.ToString());
        Assert.Equal(0, exchange.GetProperty("optimalityGap").GetDouble());
    }

    [Fact]
    public async Task Shows_its_progress_and_reads_as_a_story()
    {
        var run = (await DayAsync()).Succeeded();
        var summary = JsonSerializer.Deserialize<DemoSummary>(run.Out, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        using var text = new StringWriter();

        DemoSummaryText.Write(text, summary);

        log.WriteLine(text.ToString());
        log.WriteLine(run.Err);
        Assert.Contains("waiting for the leases to run and be billed", run.Err);
        Assert.Contains("went to   songjiang-tencent-ai-center", text.ToString());
        Assert.Contains("Utilisation by hub", text.ToString());
        Assert.Contains("Clearing prices by hub", text.ToString());
    }

    [Fact]
    public async Task Asks_for_the_nearest_site_when_the_broker_lists_only_its_top_options()
    {
        await using var broker = await fixture.StartShortListBrokerAsync();

        var day = (await fixture.Cli(broker).RunAsync(null, "demo", "--timeout", "60s", "-o", "json")).Succeeded().Json();

        var beijing = Job(day, "beijing-llm-lab").GetProperty("nearest");
        Assert.Equal(["beijing-tianjin-hebei"], beijing.GetProperty("hubIds").EnumerateArray().Select(h => h.GetString()));
        var shenzhen = Job(day, "shenzhen-robotics").GetProperty("nearest");
        Assert.Equal(["guangdong-hong-kong-macao"], shenzhen.GetProperty("hubIds").EnumerateArray().Select(h => h.GetString()));
        Assert.True(day.GetProperty("complete").GetBoolean());
    }

    async Task<JsonElement> Summary() => (await DayAsync()).Succeeded().Json();

    static JsonElement Job(JsonElement day, string tenant) =>
        day.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("tenant").GetString() == tenant);

    static IEnumerable<JsonElement> Placements(JsonElement job) => job.GetProperty("placements").EnumerateArray();
}
