using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.Reference;

// How seeds/ is read: snake_case keys, decimals written as strings so no value passes through a float.
public static class SeedJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "seeds");

    public static T Read<T>(string directory, string file)
    {
        var path = Path.Combine(directory, file);
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<T>(stream, Options)
               ?? throw new InvalidDataException($"{path} is empty");
    }
}
