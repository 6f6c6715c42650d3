namespace Marketplace.ServiceDefaults.Health;

// gRPC health service names a caller can ask about besides "" (everything).
public static class HealthTags
{
    public const string Redis = "redis";
    public const string RabbitMq = "rabbitmq";
    public const string MassTransit = "masstransit"; // the tag MassTransit gives its bus health check
    // A check answered under its own name only, not in "" (what readiness probes ask): what it watches
    // being away stops none of the service's calls outright, and taking every replica out would.
    public const string Aside = "aside";
}
