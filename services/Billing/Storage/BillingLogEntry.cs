using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// Reads one entry of the billing event log: a posting (pid, tenant, provider, hub, and in newer entries
// every field of the posting itself) or an issued invoice (inv, tenant, provider, hub).
static class BillingLogEntry
{
    public static LedgerStore.LogLine Parse(int shard, StreamEntry entry)
    {
        // Field names may repeat (tenant, provider and hub are both the log's and the posting's): first wins.
        var fields = new Dictionary<string, RedisValue>(entry.Values.Length);
        foreach (var value in entry.Values)
            fields.TryAdd((string)value.Name!, value.Value);
        string Field(string name) => fields.TryGetValue(name, out var value) && !value.IsNull ? (string)value! : "";
        return new LedgerStore.LogLine(shard, entry.Id!, Field("pid"), Field("inv"), Field("tenant"), Field("provider"), Field("hub"),
            fields.ContainsKey("subsidy") && fields.ContainsKey("id") ? PostingOf(entry) : null);
    }

    // The posting the entry carries, when it carries one whole; otherwise null, and it is read from its hash.
    static PostingRecord? PostingOf(StreamEntry entry)
    {
        try
        {
            return PostingRecord.FromFields(entry.Values);
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or OverflowException)
        {
            return null; // not the whole posting: its hash still has it
        }
    }
}
