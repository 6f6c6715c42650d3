using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Marketplace.Billing.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Hostile;

// A JSON body over 1 MB to a JSON route (the google.api.http options of protos/) is refused with 413
// (or 400), never echoed back, and the next call on the same client answers.
[Collection(MarketCollection.Name)]
public sealed class A_json_body_too_large(MarketFixture fixture)
{
    const int FiveMegabytes = 5 * 1024 * 1024;

    // A POST route, a body it would accept (fresh ids on every call; with `huge`, that string in a field
    // whose own checks would refuse it, so nothing is stored if the size goes unchecked), and a GET that
    // answers 200 when all is well.
    sealed record Route(string Service, RunningService Host, string Post, Func<string?, IMessage> Body, string NormalGet);

    IEnumerable<Route> Routes()
    {
        var m = fixture.Market;
        yield return new("broker", m.Broker, "/v1/quotes", huge =>
        {
            var quote = BrokerSteps.Batch(Samples.UniqueId("hostile-tenant"), 4, 2, 0.0097m);
            quote.AcceleratorHours.AcceleratorModel = huge ?? "H20";
            return quote;
        }, "/v1/tenants/hostile-probe/leases");
        yield return new("provider", m.Provider, "/v1/datacenters",
            huge => Samples.DataCenter(huge ?? Samples.UniqueId("hostile-json-site")), "/v1/accelerators");
        yield return new("billing", m.Billing, "/v1/voucher-programs", huge => new VoucherProgram
        {
            Issuer = "hostile", Name = "hostile", Budget = Common.V1.Money.FromDecimal(10, huge ?? "CNY"),
            CapPerTenant = Common.V1.Money.FromDecimal(1, "CNY"), TenantCopayPercent = 50,
            ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)),
        }, "/v1/voucher-programs");
    }

    static byte[] Utf8(IMessage body) => Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(body));

    // The valid body with 5 MB of whitespace after its "{": still valid JSON, so only its size is wrong.
    static byte[] Padded(IMessage body) =>
        [(byte)'{', .. Enumerable.Repeat((byte)' ', FiveMegabytes), .. Utf8(body).AsSpan(1)];

    static IEnumerable<(string Case, byte[] Bytes, bool Chunked)> Bodies(Route route)
    {
        // With a Content-Length the server can refuse up front; chunked, it learns the size only by reading.
        yield return ("5 MB of whitespace, with a Content-Length", Padded(route.Body(null)), false);
        yield return ("5 MB of whitespace, chunked", Padded(route.Body(null)), true);
        // What a careless error message would echo back.
        yield return ("a 5 MB string, with a Content-Length", Utf8(route.Body(new string('x', FiveMegabytes))), false);
    }

    [Fact]
    public async Task Is_refused_with_413_and_not_echoed()
    {
        var failures = new Failures();
        var token = MarketUnderTest.TokenFor(MarketRoles.Operator, "hostile-ops");
        foreach (var route in Routes())
        {
            var rpc = $"{route.Service} POST {route.Post}";
            using var http = new HttpClient { BaseAddress = route.Host.JsonAddress, Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            // The body as such is fine: without the padding the route takes it (a quote may find no capacity: 429),
            // so a refusal below is about size alone.
            var small = new ByteArrayContent(Utf8(route.Body(null))) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
            var (smallStatus, smallBody) = await SendAsync(http, HttpMethod.Post, route.Post, small);
            if (smallStatus is not (HttpStatusCode.OK or HttpStatusCode.TooManyRequests))
                failures.Add(rpc, "the same body, small", smallStatus, smallBody, "expected 200: the test's own body is wrong");

            foreach (var (name, bytes, chunked) in Bodies(route))
            {
                failures.Counted();
                var answer = await RawHttp.PostAsync(route.Host.JsonAddress!, route.Post, token, bytes, chunked, TimeSpan.FromSeconds(10));
                if (answer.Status is not (HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest))
                    failures.Add(rpc, name, answer.Status, answer.Body, "expected 413 (or 400)");
                if (answer.Body.Length >= 10 * 1024)
                    failures.Add(rpc, name, answer.Status, answer.Body, "the response body is 10 KB or more");

                var (afterStatus, afterBody) = await SendAsync(http, HttpMethod.Get, route.NormalGet, null);
                if (afterStatus != HttpStatusCode.OK)
                    failures.Add(rpc, name + ", then GET " + route.NormalGet, afterStatus, afterBody, "expected 200: the endpoint still answers");
            }
        }

        failures.AssertNone(atLeastCalls: 9);
    }

    // Through HttpClient; a status of 0 stands for "no HTTP answer at all" (the connection was reset or timed out).
    static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, HttpMethod method, string path, HttpContent? content)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, $"no answer: {e.GetType().Name}: {e.Message}");
        }
    }
}
