namespace Marketplace.Console;

public sealed class ConsoleOptions
{
    public const string Section = "Console";

    // Each address: http://host:port (one replica), dns:///name:port (every address the name resolves to,
    // e.g. a headless Service) or static:///host1:port1,host2:port2; calls are spread over the replicas.
    // Billing's gRPC endpoint (h2c); the console reads the ledger and the live feed there.
    public Uri BillingAddress { get; set; } = new("http://127.0.0.1:5103");

    // The broker's (h2c): the exchange's book and auctions, a tenant's quotes and leases.
    public Uri BrokerAddress { get; set; } = new("http://127.0.0.1:5102");

    // The provider's (h2c): where the data centers are, for the tenant's map.
    public Uri ProviderAddress { get; set; } = new("http://127.0.0.1:5101");

    // The market's currency (the broker's Broker:Quoting:Currency): a tenant's price ceiling is in it.
    public string Currency { get; set; } = "CNY";

    // Deadline on the console's unary calls to the services.
    public TimeSpan CallDeadline { get; set; } = TimeSpan.FromSeconds(5);
}
