namespace Marketplace.ServiceDefaults.Bus;

// An amqp://user:password@host:port/vhost connection string, taken apart for MassTransit.
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    public const string Default = "amqp://guest:guest@127.0.0.1:5672/";

    public static RabbitMqAddress Parse(string? connectionString)
    {
        var uri = new Uri(string.IsNullOrWhiteSpace(connectionString) ? Default : connectionString);
        var user = uri.UserInfo.Split(':', 2);
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqAddress(
            uri.Host,
            (ushort)(uri.Port > 0 ? uri.Port : uri.Scheme == "amqps" ? 5671 : 5672),
            vhost.Length == 0 ? "/" : vhost,
            user.Length > 0 && user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : "guest",
            user.Length > 1 ? Uri.UnescapeDataString(user[1]) : user[0].Length > 0 ? "" : "guest");
    }
}
