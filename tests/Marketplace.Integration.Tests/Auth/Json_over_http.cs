using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Auth;

// The public RPCs as plain HTTP/JSON, for curl and scripts, behind the same sign-in.
[Collection(MarketCollection.Name)]
public sealed class Json_over_http(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    static HttpClient Client(Uri address, string? token)
    {
        var http = new HttpClient { BaseAddress = address };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    [Fact]
    public async Task A_provider_reads_the_accelerator_catalog_with_curl_style_get()
    {
        using var http = Client(_market.Provider.JsonAddress!, Tokens.Valid(MarketRoles.Provider, "any-provider"));

        using var json = JsonDocument.Parse(await http.GetStringAsync("/v1/accelerators/Ascend-910B"));

        Assert.Equal("Ascend-910B", json.RootElement.GetProperty("model").GetString());
        Assert.Equal("ACCELERATOR_ORIGIN_DOMESTIC", json.RootElement.GetProperty("origin").GetString());
    }

    [Fact]
    public async Task A_tenant_asks_for_a_quote_with_a_json_post_and_bad_input_names_its_field()
    {
        var tenant = Samples.UniqueId("tenant-json");
        using var http = Client(_market.Broker.JsonAddress!, Tokens.Valid(MarketRoles.Tenant, tenant));
        var body = $$"""{"tenantId":"{{tenant}}","acceleratorHours":{"acceleratorModel":"H20","hours":"16"},"accelerators":0,"workload":"WORKLOAD_KIND_BATCH"}""";

        using var response = await http.PostAsync("/v1/quotes", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("accelerators", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_token_the_json_routes_answer_401()
    {
        using var http = Client(_market.Billing.JsonAddress!, token: null);

        using var response = await http.GetAsync("/v1/voucher-programs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Money_and_other_64_bit_integers_come_back_as_strings_as_the_proto3_json_mapping_says()
    {
        var program = await _market.BillingClient.CreateVoucherProgramAsync(new Marketplace.Billing.V1.CreateVoucherProgramRequest
        {
            Program = new Marketplace.Billing.V1.VoucherProgram
            {
                Issuer = "issuer", Name = "json", Budget = Common.V1.Money.FromDecimal(12_345_678_901m, "CNY"),
                CapPerTenant = Common.V1.Money.FromDecimal(1.5m, "CNY"), TenantCopayPercent = 30,
                ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)),
            },
        });
        using var http = Client(_market.Billing.JsonAddress!, Tokens.Valid(MarketRoles.Operator, "ops"));

        using var json = JsonDocument.Parse(await http.GetStringAsync($"/v1/voucher-programs/{program.Id}"));

        var budget = json.RootElement.GetProperty("budget");
        Assert.Equal(JsonValueKind.String, budget.GetProperty("units").ValueKind);
        Assert.Equal("12345678901", budget.GetProperty("units").GetString());
        Assert.Equal(500_000_000, json.RootElement.GetProperty("capPerTenant").GetProperty("nanos").GetInt32()); // 32-bit: a number
        Assert.Equal(30, json.RootElement.GetProperty("tenantCopayPercent").GetInt32());
    }

    [Fact]
    public async Task An_operator_lists_voucher_programs_as_json()
    {
        using var http = Client(_market.Billing.JsonAddress!, Tokens.Valid(MarketRoles.Operator, "ops"));

        using var json = JsonDocument.Parse(await http.GetStringAsync("/v1/voucher-programs"));

        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
    }
}
