using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// Reads one entry of the billing event log: a posting (pid, tenant, provider, hub, and the posting itself:
// packed with its subsidy beside, or, in entries from before the packing, as its fields; the oldest have
// neither) or an issued invoice (inv, tenant, provider, hub).
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
            fields.TryGetValue("p", out var packed) && fields.TryGetValue("subsidy", out var subsidy) ? Unpacked(packed, subsidy)
            : fields.ContainsKey("subsidy") && fields.ContainsKey("id") ? PostingOf(entry) : null);
    }

    // A packed posting this code cannot read is a fault, not a missing posting: the ledger has it.
    static PostingRecord Unpacked(RedisValue packed, RedisValue subsidy) =>
        PackedPosting.Unpack((byte[])packed!, (long)subsidy);

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
