using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// Billing's Redis keys, all built here and all under one hash tag: a posting touches the ledger, the
// voucher, its invoice bucket and the log in one Lua step, so on Redis Cluster they must share a slot.
//
//   billing:{b}:applied                 set     producer event ids already applied
//   billing:{b}:balances                hash    "<account>|<currency>" -> fen (BalanceField)
//   billing:{b}:log                     stream  the billing event log (cursor = entry id): a posting
//                                               (pid, tenant, provider, hub) or an issued invoice (inv, tenant)
//   billing:{b}:posting:{pid}           hash    one posting's fields
//   billing:{b}:entries:{account}       list    posting ids touching the account, in order
//   billing:{b}:lease:{id}              string  Lease (protobuf), from LeaseCreated
//   billing:{b}:programs                set     voucher program ids
//   billing:{b}:program:{id}            hash    p: VoucherProgram (protobuf), budget, spent (fen)
//   billing:{b}:voucher:{id}            hash    v: Voucher (protobuf), cap, spent (fen)
//   billing:{b}:spend:{program}         hash    "<tenant>|<provider>" -> fen the program paid (SpendField)
//   billing:{b}:parked                  zset    lease ids with usage waiting for their LeaseCreated, by first (ms)
//   billing:{b}:parked:{lease}          hash    event id -> UsageRecorded (protobuf) waiting for that lease
//
// Billing periods and invoices (times in Unix ms; a bucket is named by its period's start):
//   billing:{b}:closed-through          string  every bucket before this is closed; no posting lands there
//   billing:{b}:buckets                 zset    open buckets, by start
//   billing:{b}:bucket:{start}          set     tenants with postings in the bucket
//   billing:{b}:bucket:{start}:{tenant} list    the tenant's posting ids in the bucket: its invoice's postings
//   billing:{b}:closing                 hash    closed bucket start -> the cut that closed it, until its invoices are issued
//   billing:{b}:cuts                    zset    every closed-through ever set, by itself (early closes cut periods short)
//   billing:{b}:invoice-seq             string  the last invoice number given out
//   billing:{b}:invoice:{id}            hash    p: Invoice (protobuf, number unset), number; written once
//   billing:{b}:invoices:{tenant}       zset    the tenant's issued invoice ids, by period start
//   billing:{b}:unpublished             zset    issued invoice ids whose InvoiceIssued RabbitMQ has not confirmed, by issue (ms)
static class BillingKeys
{
    const string Tag = "billing:{b}";

    public static readonly RedisKey Applied = $"{Tag}:applied";
    public static readonly RedisKey Balances = $"{Tag}:balances";
    public static readonly RedisKey Log = $"{Tag}:log";
    public static readonly RedisKey Programs = $"{Tag}:programs";
    public static readonly RedisKey ParkedLeases = $"{Tag}:parked";
    public static readonly RedisKey ClosedThrough = $"{Tag}:closed-through";
    public static readonly RedisKey Buckets = $"{Tag}:buckets";
    public static readonly RedisKey Closing = $"{Tag}:closing";
    public static readonly RedisKey Cuts = $"{Tag}:cuts";
    public static readonly RedisKey InvoiceSequence = $"{Tag}:invoice-seq";
    public static readonly RedisKey Unpublished = $"{Tag}:unpublished";

    public static RedisKey Posting(string id) => $"{Tag}:posting:{id}";
    public static RedisKey Entries(string account) => $"{Tag}:entries:{account}";
    public static RedisKey Lease(string id) => $"{Tag}:lease:{id}";
    public static RedisKey Program(string id) => $"{Tag}:program:{id}";
    public static RedisKey Voucher(string id) => $"{Tag}:voucher:{id}";
    public static RedisKey Spend(string programId) => $"{Tag}:spend:{programId}";
    public static RedisKey Parked(string leaseId) => $"{Tag}:parked:{leaseId}";
    public static RedisKey BucketTenants(long startMs) => $"{Tag}:bucket:{startMs}";
    public static RedisKey BucketPostings(long startMs, string tenantId) => $"{Tag}:bucket:{startMs}:{tenantId}";
    public static RedisKey Invoice(string id) => $"{Tag}:invoice:{id}";
    public static RedisKey TenantInvoices(string tenantId) => $"{Tag}:invoices:{tenantId}";

    // Hash fields of `balances` and `spend:{program}`.
    public static string BalanceField(string account, string currency) => $"{account}|{currency}";
    public static string SpendField(string tenantId, string providerId) => $"{tenantId}|{providerId}";
}
