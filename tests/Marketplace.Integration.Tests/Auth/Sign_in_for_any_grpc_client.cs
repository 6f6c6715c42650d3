using System.Net;
using System.Net.Http.Headers;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Auth;

// What a gRPC client of another language sees when sign-in refuses it: the call is made as raw HTTP/2,
// so nothing of .NET's client maps an HTTP status for it. It must find grpc-status itself.
[Collection(MarketCollection.Name)]
public sealed class Sign_in_for_any_grpc_client(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    public static TheoryData<string, string?, string, string> Refusals => new()
    {
        { "no token", null, "16", "no bearer token" },
        { "expired token", Tokens.Expired(MarketRoles.Provider, "p"), "16", "not valid" },
        { "wrong signature", Tokens.WrongSignature(MarketRoles.Provider, "p"), "16", "not valid" },
        { "unknown role", Tokens.UnknownRole("p"), "7", "role" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_call_answers_a_grpc_status_that_says_why(string why, string? token, string status, string message)
    {
        using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = _market.Provider.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/marketplace.provider.v1.ProviderService/GetAccelerator")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]), // one empty message, uncompressed
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await http.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{why}: HTTP {(int)response.StatusCode}, a gRPC client would not see a status");
        Assert.Equal(status, response.Headers.GetValues("grpc-status").Single());
        Assert.Contains(message, Uri.UnescapeDataString(response.Headers.GetValues("grpc-message").Single()));
    }
}
