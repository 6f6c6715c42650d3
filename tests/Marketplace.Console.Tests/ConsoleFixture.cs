using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Microsoft.Playwright;

namespace Marketplace.Console.Tests;

// One market (real Redis and RabbitMQ; provider, billing and broker in-process), the console in front of it,
// and one headless Chromium, shared by every browser test. Each test opens its own browser context.
public sealed class ConsoleFixture : IAsyncLifetime
{
    public MarketUnderTest Market { get; private set; } = null!;
    public RunningService Console { get; private set; } = null!;
    IPlaywright? _playwright;
    IBrowser? _browser;

    public string OperatorToken { get; } = MarketUnderTest.TokenFor(MarketRoles.Operator, "ops-wang", TimeSpan.FromHours(2));

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await DebianChromium.LaunchAsync(); // first: fails in a second when Chromium is missing
        Market = await MarketUnderTest.StartAsync();
        Console = await RunningService.StartAsync(Program.Build, new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = MarketUnderTest.SigningKey,
            ["Console:BillingAddress"] = Market.Billing.Address.ToString(),
            ["Console:BrokerAddress"] = Market.Broker.Address.ToString(),
            ["Console:ProviderAddress"] = Market.Provider.Address.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        });
    }

    // A fresh browser (no cookies) on the console (or on a link to it), at a size an operator's screen has.
    public async Task<IPage> NewPageAsync(Uri? via = null)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (via ?? Console.Address).ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "Asia/Shanghai",
        });
        // The suite shares two cores with the others (dotnet test runs the projects side by side): a page
        // may take far longer to load than Playwright's 30 s default allows, without anything being wrong.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (Console is not null)
            await Console.DisposeAsync();
        if (Market is not null)
            await Market.DisposeAsync();
    }
}
