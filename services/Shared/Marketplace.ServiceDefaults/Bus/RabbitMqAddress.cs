namespace Marketplace.ServiceDefaults.Bus;

// An amqp://user:password@host:port/vhost connection string, taken apart for MassTransit. A cluster is
// named by listing its nodes where the host goes, comma-separated, each with its own port or the
// scheme's: amqp://user:password@rabbit-0:5672,rabbit-1:5672,rabbit-2/vhost. Host and Port are the
// first node; Nodes are all of them, in the order given (the order they are tried in).
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    public const string Default = "amqp://guest:guest@127.0.0.1:5672/";

    public IReadOnlyList<RabbitMqNode> Nodes { get; init; } = [new(Host, Port)];

    public bool IsCluster => Nodes.Count > 1;

    // "rabbit-0:5672,rabbit-1:5672", for messages: no credentials.
    public string Describe() => string.Join(',', Nodes);

    public static RabbitMqAddress Parse(string? connectionString)
    {
        var text = string.IsNullOrWhiteSpace(connectionString) ? Default : connectionString.Trim();
        var (scheme, start, length) = HostList(text);
        var hosts = text.Substring(start, length).Split(',').Select(h => h.Trim()).ToList();
        if (hosts.Count == 1)
            return ParseOne(text);
        if (hosts.Any(h => h.Length == 0))
            throw new FormatException($"the RabbitMQ node list '{text.Substring(start, length)}' has an empty entry");

        // The first node stands in for the list, so credentials and vhost are read as for one host.
        var first = ParseOne(text[..start] + hosts[0] + text[(start + length)..]);
        var nodes = hosts.Select(entry => ParseOne($"{scheme}://{entry}/")).Select(n => new RabbitMqNode(n.Host, n.Port)).ToList();
        return first with { Nodes = nodes };
    }

    public bool Equals(RabbitMqAddress? other) =>
        other is not null && (Host, Port, VirtualHost, Username, Password) == (other.Host, other.Port, other.VirtualHost, other.Username, other.Password)
                          && Nodes.SequenceEqual(other.Nodes);

    public override int GetHashCode() => HashCode.Combine(Host, Port, VirtualHost, Username, Nodes.Count);

    // The scheme, and where the host (or comma-separated hosts) stands: after the credentials, before the vhost.
    static (string Scheme, int Start, int Length) HostList(string text)
    {
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
            throw new FormatException($"'{Redacted(text)}' is not an amqp:// URI");
        var authorityStart = schemeEnd + 3;
        var authorityEnd = text.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
            authorityEnd = text.Length;
        var start = text.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart) is var at and >= 0 ? at + 1 : authorityStart;
        return (text[..schemeEnd], start, authorityEnd - start);
    }

    static RabbitMqAddress ParseOne(string text)
    {
        var uri = new Uri(text);
        var user = uri.UserInfo.Split(':', 2);
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqAddress(
            uri.Host,
            (ushort)(uri.Port > 0 ? uri.Port : uri.Scheme == "amqps" ? 5671 : 5672),
            vhost.Length == 0 ? "/" : vhost,
            user.Length > 0 && user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : "guest",
            user.Length > 1 ? Uri.UnescapeDataString(user[1]) : user[0].Length > 0 ? "" : "guest");
    }

    static string Redacted(string text) => System.Text.RegularExpressions.Regex.Replace(text, "//[^@/]*@", "//***@");
}

// One node of a RabbitMQ cluster: "host:port".
public readonly record struct RabbitMqNode(string Host, ushort Port)
{
    public override string ToString() => $"{Host}:{Port}";
}
