namespace Marketplace.Broker;

public sealed class BrokerOptions
{
    public const string Section = "Broker";

    // Where the provider service listens: http://host:port (one replica), dns:///name:port (every address
    // the name resolves to, e.g. a headless Service) or static:///host1:port1,host2:port2; calls are spread
    // round-robin over the replicas found (see BalancedChannel).
    public Uri ProviderAddress { get; set; } = new("http://127.0.0.1:5101");

    // Deadline on every call to the provider.
    public TimeSpan ProviderDeadline { get; set; } = TimeSpan.FromSeconds(5);

    // Deadline on the start-up snapshot: a catalog of thousands of offers takes longer than one call.
    public TimeSpan SnapshotDeadline { get; set; } = TimeSpan.FromSeconds(60);

    // The largest provider reply the broker reads: the snapshot of 10,000 offers is about 5 MB, past
    // gRPC's default of 4 MB.
    public int MaxProviderReplyBytes { get; set; } = 64 * 1024 * 1024;

    // How long a quote can be accepted.
    public TimeSpan QuoteLifetime { get; set; } = TimeSpan.FromMinutes(10);

    // How long the provider keeps capacity for an accept before it must be confirmed.
    public TimeSpan HoldTtl { get; set; } = TimeSpan.FromSeconds(60);

    // The broker's own budget for one accept attempt (holds and confirms), whatever the client's deadline:
    // past it the attempt gives up and gives its holds back.
    public TimeSpan AcceptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    // An accept still pending this long is taken to be dead (its broker crashed) and is undone by the
    // recovery pass or by a retry of the same request. Longer than AcceptTimeout.
    public TimeSpan AcceptStaleAfter { get; set; } = TimeSpan.FromSeconds(30);

    // How often the recovery pass looks for stale accepts (it also runs at start-up).
    public TimeSpan AcceptRecoveryInterval { get; set; } = TimeSpan.FromSeconds(5);

    // How often the outbox relay sends events their writer could not, and how long one send may take.
    public TimeSpan OutboxRelayInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan OutboxSendTimeout { get; set; } = TimeSpan.FromSeconds(3);

    // How often leases are checked for their start and end (real time).
    public TimeSpan LeaseTickInterval { get; set; } = TimeSpan.FromSeconds(1);

    // Each tenant's budget a second (bursts of twice that); operators and services are not limited.
    public int TenantQuotesPerSecond { get; set; } = 20;
    public int TenantAcceptsPerSecond { get; set; } = 5;

    // Where the billing service listens, for voucher terms; the same forms as ProviderAddress.
    public Uri BillingAddress { get; set; } = new("http://127.0.0.1:5103");

    // The exchange's call auction: one every AuctionEveryHours market hours, clearing AuctionHours slots
    // from the next whole hour on; 0: only when an operator runs one. A solve stops at AuctionSolveLimit
    // (real time) with the best found, and says its gap.
    public int AuctionEveryHours { get; set; } = 1;
    public int AuctionHours { get; set; } = 24;
    public TimeSpan AuctionSolveLimit { get; set; } = TimeSpan.FromSeconds(10);

    // Interruptible capacity already leased is sold again to a bid that pays more than PreemptionPremiumPercent
    // over its lease's price, for hours at least PreemptionNotice (market time) ahead: the lease is told then.
    public TimeSpan PreemptionNotice { get; set; } = TimeSpan.FromHours(2);
    public decimal PreemptionPremiumPercent { get; set; } = 10m;

    // Open bids a tenant may have at once.
    public int MaxOpenBidsPerTenant { get; set; } = 100;
}
