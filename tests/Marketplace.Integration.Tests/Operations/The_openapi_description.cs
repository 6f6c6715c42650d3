using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Operations;

// Each service describes its HTTP/JSON routes (the google.api.http options of protos/) at
// /openapi/v1.json and serves a page to browse them at /openapi, from its own files: offline, anonymous.
[Collection(MarketCollection.Name)]
public sealed partial class The_openapi_description(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    [Theory]
    [InlineData("provider", "/v1/accelerators/{model}", "get")]
    [InlineData("broker", "/v1/quotes", "post")]
    [InlineData("billing", "/v1/voucher-programs", "get")]
    public async Task Lists_the_services_json_routes_as_its_protos_annotate_them(string service, string route, string verb)
    {
        using var http = new HttpClient { BaseAddress = Service(service).JsonAddress }; // no token: the description is public

        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty(route, out var path),
            $"{route} is not among {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        Assert.True(path.TryGetProperty(verb, out _), $"{route} has no {verb}");
    }

    [Fact]
    public async Task Describes_a_route_with_its_proto_comment_and_a_bearer_token()
    {
        using var http = new HttpClient { BaseAddress = _market.Broker.JsonAddress };

        var text = await http.GetStringAsync("/openapi/v1.json");

        using var document = JsonDocument.Parse(text);
        var accept = document.RootElement.GetProperty("paths").EnumerateObject()
            .Single(p => p.Name.EndsWith(":accept", StringComparison.Ordinal) && p.Name.StartsWith("/v1/quotes/", StringComparison.Ordinal))
            .Value.GetProperty("post");
        Assert.Contains("Idempotent on idempotency_key", accept.ToString()); // AcceptQuote's comment in broker.proto
        Assert.Equal("bearer", document.RootElement.GetProperty("components").GetProperty("securitySchemes")
            .GetProperty("bearer").GetProperty("scheme").GetString());
    }

    [Theory]
    [InlineData("provider")]
    [InlineData("broker")]
    [InlineData("billing")]
    public async Task Serves_its_page_and_every_script_and_style_of_it_from_itself(string service)
    {
        using var http = new HttpClient { BaseAddress = Service(service).JsonAddress };

        using var page = await http.GetAsync("/openapi");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode); // after the redirect to /openapi/index.html
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var pageUri = page.RequestMessage!.RequestUri!;
        Assert.DoesNotMatch(ExternalUrl(), html);
        var assets = Asset().Matches(html).Select(m => m.Groups["src"].Value).Distinct().ToList();
        Assert.Contains(assets, a => a.EndsWith("swagger-ui-bundle.js", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await http.GetAsync(new Uri(pageUri, asset));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
            if (asset.EndsWith("index.js", StringComparison.Ordinal)) // the page's configuration: no URL to load from elsewhere
            {
                var config = await response.Content.ReadAsStringAsync();
                Assert.DoesNotMatch(QuotedExternalUrl(), config); // a validatorUrl, say, would send the document to a public server
            }
        }
    }

    [GeneratedRegex("""https?://""")]
    private static partial Regex ExternalUrl();

    [GeneratedRegex("""["']https?://""")]
    private static partial Regex QuotedExternalUrl();

    [GeneratedRegex("""(?:src|href)="(?<src>[^"]+\.(?:js|css))""")]
    private static partial Regex Asset();

    RunningService Service(string name) => name switch
    {
        "provider" => _market.Provider,
        "broker" => _market.Broker,
        _ => _market.Billing,
    };
}
