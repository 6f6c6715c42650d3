using Microsoft.Playwright;

namespace Marketplace.Console.Tests;

// Playwright's .NET driver (node, shipped inside the NuGet package) driving Debian's own Chromium.
// Nothing is downloaded: when Chromium or the driver is missing the test fails and says how to fix it.
static class DebianChromium
{
    const string Executable = "/usr/bin/chromium";

    static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException(
                $"Chromium is not installed at {Executable}: install Debian's package with `apt-get install -y chromium` " +
                "(and `fonts-wqy-microhei` for the hub names in Chinese). The tests never download a browser.");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        IPlaywright playwright;
        try
        {
            playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                "Playwright's driver did not start. It ships in the Microsoft.Playwright NuGet package and is copied " +
                $"to {Path.Combine(AppContext.BaseDirectory, ".playwright")} by the build: rebuild the test project " +
                "(`dotnet build tests/Marketplace.Console.Tests`) and check that .playwright/node/<platform>/node runs there.", e);
        }
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Executable,
                Args = Args,
                Headless = true,
            });
            return (playwright, browser);
        }
        catch (Exception e)
        {
            playwright.Dispose();
            throw new InvalidOperationException(
                $"{Executable} did not start under Playwright: reinstall it with `apt-get install -y chromium`.", e);
        }
    }
}
