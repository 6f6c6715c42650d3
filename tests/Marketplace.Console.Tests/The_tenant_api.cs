using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Console.Tests;

// The tenant page's own endpoints answer a mistake with a 400 naming the form's field, before any
// service is asked.
[Collection(ConsoleCollection.Name)]
public sealed class The_tenant_api(ConsoleFixture fixture)
{
    const string Good = """
        {"model":"H20","accelerators":8,"hours":4,"startInHours":0,"windowHours":24,"workload":"batch",
         "dataRegion":"shanghai","dataGb":100,"usersRegion":"","latencyMs":0,"ceilingPerHour":"","domesticOnly":false}
        """;

    [Theory]
    [InlineData("accelerators", "\"eight\"")]
    [InlineData("accelerators", "0")]
    [InlineData("hours", "-1")]
    [InlineData("windowHours", "2")]
    [InlineData("model", "\"Z9000\"")]
    [InlineData("workload", "\"gaming\"")]
    [InlineData("dataRegion", "\"atlantis\"")]
    [InlineData("ceilingPerHour", "\"5.555\"")]
    public async Task Answers_a_bad_quote_form_with_a_400_naming_the_field(string field, string value)
    {
        using var http = ConsoleHttp.SignedInAs(fixture, MarketRoles.Tenant, "sh-form-tester");
        var form = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Good)!;
        form[field] = JsonDocument.Parse(value).RootElement;

        var response = await http.PostAsJsonAsync("/api/tenant/quotes", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Answers_a_body_that_is_not_json_with_a_400_naming_the_body()
    {
        using var http = ConsoleHttp.SignedInAs(fixture, MarketRoles.Tenant, "sh-form-tester");

        var response = await http.PostAsync("/api/tenant/quotes", new StringContent("model=H20", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("body", out _));
    }
}
