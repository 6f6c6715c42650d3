using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// One shard of the ledger and its keys, all under the shard's hash tag: a posting touches the ledger, the
// voucher's and program's spend, its invoice bucket and the log in one Lua step, so on Redis Cluster
// they must share a slot. `tag` is billing:{b} for the one shard of a ledger not split.
//
//   {tag}:applied                 set     producer event ids already applied
//   {tag}:balances                hash    "<account>|<currency>" -> fen (BalanceField)
//   {tag}:log                     stream  the shard's billing event log (cursor = entry id): a posting (pid, tenant,
//                                         provider, hub, subsidy and p, the posting packed: PackedPosting; before
//                                         that, the posting's fields, or none) or an issued invoice (inv, tenant)
//   {tag}:posted                  hash    posting id -> the log entry that holds the posting
//   {tag}:posting:{pid}           hash    one posting's fields: postings written before the posted index
//   {tag}:entries:{account}       list    posting ids touching the account, in order
//   {tag}:program:{id}            hash    spent: fen the program paid in this shard
//   {tag}:voucher:{id}            hash    cap, spent (fen), of a voucher of a tenant of this shard
//   {tag}:spend:{program}         hash    "<tenant>|<provider>" -> fen the program paid (SpendField)
//
// Billing periods and invoices (times in Unix ms; a bucket is named by its period's start):
//   {tag}:closed-through          string  every bucket before this is closed; no posting lands there
//   {tag}:buckets                 zset    open buckets, by start
//   {tag}:bucket:{start}          set     tenants with postings in the bucket
//   {tag}:bucket:{start}:{tenant} list    the tenant's posting ids in the bucket: its invoice's postings
//   {tag}:closing                 hash    closed bucket start -> the cut that closed it, until its invoices are issued
//   {tag}:cuts                    zset    every closed-through ever set, by itself (early closes cut periods short)
//   {tag}:invoice:{id}            hash    p: Invoice (protobuf, number unset), number; written once
//   {tag}:invoices:{tenant}       zset    the tenant's issued invoice ids, by period start
//   {tag}:unpublished             zset    issued invoice ids whose InvoiceIssued RabbitMQ has not confirmed, by issue (ms)
public sealed class LedgerShard(int index, string tag)
{
    public int Index { get; } = index;

    public RedisKey Applied { get; } = $"{tag}:applied";
    public RedisKey Balances { get; } = $"{tag}:balances";
    public RedisKey Log { get; } = $"{tag}:log";
    public RedisKey ClosedThrough { get; } = $"{tag}:closed-through";
    public RedisKey Buckets { get; } = $"{tag}:buckets";
    public RedisKey Posted { get; } = $"{tag}:posted";
    public RedisKey Closing { get; } = $"{tag}:closing";
    public RedisKey Cuts { get; } = $"{tag}:cuts";
    public RedisKey Unpublished { get; } = $"{tag}:unpublished";

    public RedisKey Posting(string id) => $"{tag}:posting:{id}";
    public RedisKey Entries(string account) => $"{tag}:entries:{account}";
    public RedisKey ProgramSpend(string programId) => $"{tag}:program:{programId}";
    public RedisKey Voucher(string id) => $"{tag}:voucher:{id}";
    public RedisKey Spend(string programId) => $"{tag}:spend:{programId}";
    public RedisKey BucketTenants(long startMs) => $"{tag}:bucket:{startMs}";
    public RedisKey BucketPostings(long startMs, string tenantId) => $"{tag}:bucket:{startMs}:{tenantId}";
    public RedisKey Invoice(string id) => $"{tag}:invoice:{id}";
    public RedisKey TenantInvoices(string tenantId) => $"{tag}:invoices:{tenantId}";

    // Hash fields of `balances` and `spend:{program}`.
    public static string BalanceField(string account, string currency) => $"{account}|{currency}";
    public static string SpendField(string tenantId, string providerId) => $"{tenantId}|{providerId}";

    public override string ToString() => tag;
}
