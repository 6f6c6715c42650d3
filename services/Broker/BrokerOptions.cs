namespace Marketplace.Broker;

public sealed class BrokerOptions
{
    public const string Section = "Broker";

    // Where the provider service listens.
    public Uri ProviderAddress { get; set; } = new("http://127.0.0.1:5101");

    // Deadline on every call to the provider.
    public TimeSpan ProviderDeadline { get; set; } = TimeSpan.FromSeconds(5);

    // How long a quote can be accepted.
    public TimeSpan QuoteLifetime { get; set; } = TimeSpan.FromMinutes(10);

    // How many ranked options a quote request returns at most.
    public int MaxOptions { get; set; } = 5;
}
