using System.Diagnostics.Metrics;

namespace Marketplace.ServiceDefaults.Bus;

// Counts what the bus could not deliver to a consumer, by reason, for dashboards and tests.
public static class BusMetrics
{
    public const string MeterName = "Marketplace.Bus";

    static readonly Meter Meter = new(MeterName);
    static readonly Counter<long> Poison = Meter.CreateCounter<long>(
        "marketplace.bus.poison_messages", description: "Messages sent to an error queue because they could not be read");

    static long _poisonTotal;

    public static long PoisonTotal => Interlocked.Read(ref _poisonTotal);

    public static void CountPoison(string reason)
    {
        Interlocked.Increment(ref _poisonTotal);
        Poison.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }
}
