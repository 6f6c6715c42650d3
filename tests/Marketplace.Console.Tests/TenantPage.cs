using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Microsoft.Playwright;

namespace Marketplace.Console.Tests;

// The tenant's page in a browser tab, in a tenant's words: sign in, ask for a quote, accept an option.
sealed class TenantPage(IPage page)
{
    public IPage Page => page;

    // Opens the tenant's page, signs in through the form it is sent to, and waits until the page has loaded.
    public static async Task<TenantPage> SignInAsync(ConsoleFixture fixture, string tenant)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/tenant/");
        await page.FillAsync("#token", MarketUnderTest.TokenFor(MarketRoles.Tenant, tenant, TimeSpan.FromHours(2)));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForFunctionAsync("() => window.__tenant?.ready === true");
        return new TenantPage(page);
    }

    public async Task AskAsync(IReadOnlyDictionary<string, string> fields)
    {
        foreach (var (name, value) in fields)
        {
            if (await page.EvaluateAsync<string>("id => document.getElementById(id).tagName", name) == "SELECT")
                await page.SelectOptionAsync($"#{name}", value);
            else
                await page.FillAsync($"#{name}", value);
        }
        await page.ClickAsync("#ask");
    }

    public async Task<string[]> OptionIdsOnTheMapAsync() =>
        await page.EvalOnSelectorAllAsync<string[]>("#map circle.option", "dots => [...new Set(dots.map(d => d.dataset.quote))]");
}
