using System.Net;
using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Microsoft.Playwright;

namespace Marketplace.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class Signing_in(ConsoleFixture fixture)
{
    [Fact]
    public async Task An_operator_pastes_a_token_and_returns_to_the_page_asked_for_with_an_HttpOnly_strict_cookie()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/?hub=guizhou");
        Assert.Contains("/signin", page.Url);
        await page.ScreenshotAsync(new() { Path = ArtifactsFolder.File("console-signin.png") });
        await page.FillAsync("#token", fixture.OperatorToken);
        await page.ClickAsync("button[type=submit]");
        await new ConsolePage(page).WaitUntilLiveAsync();

        Assert.EndsWith("/?hub=guizhou", page.Url);
        Assert.Equal("ops-wang · operator", await page.TextContentAsync("#operator"));
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "market_console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("", await page.EvaluateAsync<string>("() => document.cookie")); // no script can read it
    }

    [Theory]
    [InlineData(MarketRoles.Provider, "neither an operator's nor a tenant's")]
    [InlineData(MarketRoles.Service, "neither an operator's nor a tenant's")]
    [InlineData("expired", "has expired")]
    [InlineData("forged", "not issued by this market")]
    public async Task Any_other_token_is_turned_away_with_the_reason(string token, string reason)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/signin");

        await page.FillAsync("#token", token switch
        {
            "expired" => MarketUnderTest.TokenFor(MarketRoles.Operator, "ops-old", TimeSpan.FromSeconds(-40)),
            "forged" => new TokenIssuer(new AuthOptions { SigningKey = Convert.ToBase64String(new byte[32]) })
                .Issue(MarketRoles.Operator, "ops-fake", TimeSpan.FromHours(1)),
            _ => MarketUnderTest.TokenFor(token, "someone"),
        });
        // Waiting from before the click: the redirect back can land before a wait begun after it.
        var turnedAway = page.WaitForURLAsync(new Regex("/signin\\?problem="));
        await page.ClickAsync("button[type=submit]");
        await turnedAway;
        await page.Locator("#problem").WaitForAsync(); // shown once the page has read the reason

        Assert.Contains(reason, await page.Locator("#problem").TextContentAsync());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "market_console");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/js/main.js")]
    public async Task Without_the_cookie_a_page_or_file_sends_the_browser_to_sign_in(string path)
    {
        using var http = Anonymous();

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/api/events")]
    [InlineData("/api/vouchers")]
    [InlineData("/api/me")]
    public async Task Without_the_cookie_the_api_and_the_stream_answer_401(string path)
    {
        using var http = Anonymous();

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_tenant_who_asked_for_the_operator_page_lands_on_the_tenant_page()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/?hub=guizhou");
        await page.FillAsync("#token", MarketUnderTest.TokenFor(MarketRoles.Tenant, "sh-lingang-autodrive"));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForFunctionAsync("() => window.__tenant?.ready === true");

        Assert.EndsWith("/tenant/", page.Url);
        Assert.Equal("sh-lingang-autodrive · tenant", await page.TextContentAsync("#tenant"));
    }

    [Theory]
    [InlineData("/api/events")]
    [InlineData("/api/vouchers")]
    [InlineData("/api/exchange/book")]
    [InlineData("/api/exchange/auctions")]
    [InlineData("/api/exchange/auctions/live")]
    [InlineData("/api/outages")]
    [InlineData("/api/moves")]
    [InlineData("/api/reliability")]
    public async Task A_tenant_is_refused_the_operator_api_with_403(string path)
    {
        using var http = SignedInAs(MarketRoles.Tenant, "sh-lingang-autodrive");

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/js/main.js")]
    public async Task A_tenant_opening_an_operator_page_or_file_is_sent_to_the_tenant_page(string path)
    {
        using var http = SignedInAs(MarketRoles.Tenant, "sh-lingang-autodrive");

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/tenant/", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/api/tenant/market")]
    [InlineData("/api/tenant/leases")]
    [InlineData("/api/tenant/events")]
    public async Task An_operator_is_refused_the_tenant_api_with_403_and_keeps_the_operator_page(string path)
    {
        using var http = SignedInAs(MarketRoles.Operator, "ops-wang");

        var refused = await http.GetAsync(path);
        var page = await http.GetAsync("/");
        var redirected = await http.GetAsync("/tenant/");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/", redirected.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/api/me")]
    [InlineData("/api/hubs")]
    [InlineData("/shared/js/format.js")]
    public async Task Both_roles_read_what_both_pages_share(string path)
    {
        foreach (var role in new[] { MarketRoles.Operator, MarketRoles.Tenant })
        {
            using var http = SignedInAs(role, "someone");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(path)).StatusCode);
        }
    }

    HttpClient SignedInAs(string role, string subject) => ConsoleHttp.SignedInAs(fixture, role, subject);

    HttpClient Anonymous() => ConsoleHttp.Anonymous(fixture);
}
