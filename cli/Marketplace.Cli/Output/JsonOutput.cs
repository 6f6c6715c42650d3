using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Google.Protobuf;

namespace Marketplace.Cli.Output;

// JSON for scripts: messages in proto3 JSON (as the contract names them, zeros included), our own
// summaries with System.Text.Json in the same camelCase; both on one line, so streams are JSON lines.
public static class JsonOutput
{
    static readonly JsonFormatter Proto = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    static readonly JsonSerializerOptions Plain = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All), // 深圳算力券 stays readable
    };

    public static string Of(IMessage message) => Proto.Format(message);

    public static string Of<T>(IEnumerable<T> messages) where T : IMessage => $"[{string.Join(",", messages.Select(m => Of(m)))}]";

    public static string Of(object value) => JsonSerializer.Serialize(value, value.GetType(), Plain);
}
