namespace Marketplace.ServiceDefaults.Health;

// gRPC health service names a caller can ask about besides "" (everything).
public static class HealthTags
{
    public const string Redis = "redis";
    public const string RabbitMq = "rabbitmq";
    public const string MassTransit = "masstransit"; // the tag MassTransit gives its bus health check
}
