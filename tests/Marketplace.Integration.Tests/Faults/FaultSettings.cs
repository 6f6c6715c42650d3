namespace Marketplace.Integration.Tests.Faults;

// How big and how long the fault tests run; the defaults keep each under about 90 s on two cores, and
// the long variants run with, e.g., MARKETPLACE_FAULT_SCALE=10 MARKETPLACE_REDIS_OUTAGE_SECONDS=300.
// Redis databases: the fixture's services use 0-3, the CLI tests 5, Per_tenant_limits 13, each fault
// test one of 6-12 and 14.
static class FaultSettings
{
    // Multiplies the work of every fault test: usages, tenants, offers, kills.
    public static int Scale => Number("MARKETPLACE_FAULT_SCALE", 1);

    // Usages that flow through each outage.
    public static int Usages => 400 * Scale;

    public static TimeSpan RedisOutage => TimeSpan.FromSeconds(Number("MARKETPLACE_REDIS_OUTAGE_SECONDS", 60));

    // How long the broker alone is cut off from RabbitMQ: half stalled, half refused.
    public static TimeSpan BrokerPartition => TimeSpan.FromSeconds(Number("MARKETPLACE_PARTITION_SECONDS", 40));

    // Replay a run with MARKETPLACE_TEST_SEED=<the printed seed>.
    public static int NewSeed() => int.TryParse(Environment.GetEnvironmentVariable("MARKETPLACE_TEST_SEED"), out var seed)
        ? seed
        : Random.Shared.Next();

    static int Number(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var value) && value > 0 ? value : fallback;
}
