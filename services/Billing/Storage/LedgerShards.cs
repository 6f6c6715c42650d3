using System.Text;

namespace Marketplace.Billing.Storage;

// The ledger split by tenant into `Billing:LedgerShards` shards, each under a hash tag of its own, so on
// Redis Cluster each shard is one slot and shards spread over the masters. A tenant's postings, balance,
// vouchers' spend, invoices and log lines all live in its shard, so a posting stays one atomic script.
// One shard is the ledger as it always was (`billing:{b}`). The count is fixed once the ledger has data:
// a tenant's shard is its id's hash modulo the count (LedgerShardCheck refuses a changed count).
public sealed class LedgerShards
{
    const int Slots = 16384;

    public LedgerShards(BillingOptions options)
    {
        Count = options.LedgerShards is >= 1 and <= 64
            ? options.LedgerShards
            : throw new ArgumentOutOfRangeException(nameof(options), $"Billing:LedgerShards must be within 1..64, not {options.LedgerShards}");
        All = Enumerable.Range(0, Count).Select(i => new LedgerShard(i, Count == 1 ? BillingKeys.GlobalTag : TagOf(i, Count))).ToArray();
    }

    public int Count { get; }

    public IReadOnlyList<LedgerShard> All { get; }

    public LedgerShard Of(string tenantId) => All[Count == 1 ? 0 : (int)(Fnv1a(tenantId) % (uint)Count)];

    // A tag whose slot lies in the middle of the shard's share of the slot range: a cluster created with
    // as many masters as shards (equal, consecutive slot ranges) then has one shard on each master.
    static string TagOf(int index, int count)
    {
        var (from, to) = (index * Slots / count, (index + 1) * Slots / count);
        var (low, high) = (from + (to - from) / 4, to - (to - from) / 4);
        for (var j = 0; ; j++)
        {
            var tag = $"b{index}.{j}";
            if (HashSlot.Of(tag) is var slot && slot >= low && slot < high)
                return $"billing:{{{tag}}}";
        }
    }

    // Stable across processes and runs (string.GetHashCode is not).
    static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
