using System.Text.Json;

namespace Marketplace.Console.Tenant;

// A page's JSON body, or a 400 naming the field that could not be read ("accelerators": "eight").
static class JsonForm
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (!request.HasJsonContentType())
            throw new BadFieldException("body", "must be JSON (Content-Type: application/json)");
        try
        {
            return await request.ReadFromJsonAsync<T>(Options, ct) ?? throw new BadFieldException("body", "is empty");
        }
        catch (JsonException e)
        {
            var field = e.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : "body";
            throw new BadFieldException(field, "could not be read: give a value of the field's type");
        }
    }
}
