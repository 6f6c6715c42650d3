namespace Marketplace.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class A_demo_day(ConsoleFixture fixture)
{
    [Fact]
    public async Task Shows_hubs_tenants_and_voucher_spend_and_is_saved_as_a_screenshot()
    {
        var published = await DemoDay.PublishAsync(fixture.Market);

        var console = await ConsolePage.SignInAsync(fixture);
        await console.WaitForEventsAsync(published, TimeSpan.FromSeconds(30));
        await console.Page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('#voucher-list li[data-program]')].filter(li => +li.dataset.spentFen > 0).length >= 3",
            null, new() { Timeout = 10_000 });
        var screenshot = ArtifactsFolder.File("console.png");
        await console.Page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });

        var hubs = await console.Page.TextContentAsync("#hub-chart") ?? "";
        foreach (var hub in new[] { "Yangtze River Delta", "Inner Mongolia", "Guizhou", "Gansu", "Ningxia", "Chengdu-Chongqing" })
            Assert.Contains(hub, hubs);
        var tenants = await console.Page.TextContentAsync("#tenant-chart") ?? "";
        foreach (var tenant in new[] { "sh-lingang-autodrive", "bj-zhiyuan-nlp", "sz-nanshan-robotics" })
            Assert.Contains(tenant, tenants);
        Assert.Equal(0, (await console.StatsAsync()).Duplicates);
        Assert.True(new FileInfo(screenshot).Length > 50_000, "the screenshot is all but empty");
    }
}
