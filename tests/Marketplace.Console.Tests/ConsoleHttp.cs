using Marketplace.Testing.Market;

namespace Marketplace.Console.Tests;

// Plain HTTP to the console without a browser: with no cookie at all, or with the cookie the sign-in form
// leaves for a role. Redirects are not followed, so a test sees where a page sends its reader.
static class ConsoleHttp
{
    public static HttpClient Anonymous(ConsoleFixture fixture) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = fixture.Console.Address };

    public static HttpClient SignedInAs(ConsoleFixture fixture, string role, string subject)
    {
        var http = Anonymous(fixture);
        http.DefaultRequestHeaders.Add("Cookie", $"market_console={MarketUnderTest.TokenFor(role, subject)}");
        return http;
    }
}
