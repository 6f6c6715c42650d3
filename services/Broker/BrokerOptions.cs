namespace Marketplace.Broker;

public sealed class BrokerOptions
{
    public const string Section = "Broker";

    // Where the provider service listens.
    public Uri ProviderAddress { get; set; } = new("http://127.0.0.1:5101");

    // Deadline on every call to the provider.
    public TimeSpan ProviderDeadline { get; set; } = TimeSpan.FromSeconds(5);

    // Deadline on the start-up snapshot: a catalog of thousands of offers takes longer than one call.
    public TimeSpan SnapshotDeadline { get; set; } = TimeSpan.FromSeconds(60);

    // How long a quote can be accepted.
    public TimeSpan QuoteLifetime { get; set; } = TimeSpan.FromMinutes(10);

    // How long the provider keeps capacity for an accept before it must be confirmed.
    public TimeSpan HoldTtl { get; set; } = TimeSpan.FromSeconds(60);

    // How often leases are checked for their start and end (real time).
    public TimeSpan LeaseTickInterval { get; set; } = TimeSpan.FromSeconds(1);

    // Where the billing service listens, for voucher terms.
    public Uri BillingAddress { get; set; } = new("http://127.0.0.1:5103");
}
