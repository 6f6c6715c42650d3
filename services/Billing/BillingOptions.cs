namespace Marketplace.Billing;

public sealed class BillingOptions
{
    public const string Section = "Billing";

    // The platform's fee on every usage posting, in percent of the amount.
    public decimal PlatformFeePercent { get; set; } = 10m;

    // Currencies the ledger accepts; usage priced in anything else is refused.
    public string[] Currencies { get; set; } = ["CNY"];

    // How long the process's one log reader blocks on the billing event log before asking again (real
    // time). New events arrive as soon as they are written; this only bounds an idle read.
    public TimeSpan WatchBlockTimeout { get; set; } = TimeSpan.FromSeconds(2);

    // Events a live watcher may hold unread; a watcher further behind catches up from the log on its own.
    public int WatchChannelCapacity { get; set; } = 256;

    // Usage ingest: postings are written to the ledger up to this many in one script call (one fsync),
    // with at most this many calls in flight; and the usage queue lends this many messages at a time
    // (RabbitMQ prefetch, and as many consumed at once), which is what lets batches fill.
    public int IngestBatchSize { get; set; } = 256;
    public int IngestFlushes { get; set; } = 4;
    public int IngestPrefetch { get; set; } = 1024;

    // The ledger split by tenant into this many shards, each its own Redis Cluster slot (LedgerShards). Fixed
    // once the ledger has data: billing refuses to start with another count.
    public int LedgerShards { get; set; } = 1;

    // How often usage parked for a lease not yet heard of is checked against the leases known by now.
    public TimeSpan ParkedSweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    // Billing periods: 0, calendar months (UTC); N, consecutive N-hour periods aligned to the Unix epoch.
    public int InvoicePeriodHours { get; set; }

    // How often periods that have ended on the market clock are closed and their invoices issued (real time).
    public TimeSpan InvoiceCloseInterval { get; set; } = TimeSpan.FromSeconds(1);

    // How often issued invoices RabbitMQ has not yet confirmed are published again; how long one send may wait.
    public TimeSpan InvoiceRelayInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan InvoiceSendTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
