namespace Marketplace.ServiceDefaults.Grpc;

// At most a short prefix of what a caller sent, for messages that quote it: a status message is a
// header, and one past HTTP/2's header limit wedges the connection.
public static class Brief
{
    public const int Id = 64;

    public static string Of(string? text, int max = Id) =>
        text is null ? "" : text.Length <= max ? text : string.Concat(text.AsSpan(0, max), $"… ({text.Length} characters)");
}
