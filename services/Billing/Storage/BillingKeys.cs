using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// Billing's Redis keys, all built here and all under one hash tag: a posting touches the ledger, the
// voucher and the log in one Lua step, so on Redis Cluster they must share a slot.
//
//   billing:{b}:applied                 set     producer event ids already applied
//   billing:{b}:balances                hash    "<account>|<currency>" -> fen
//   billing:{b}:log                     stream  the billing event log (cursor = entry id)
//   billing:{b}:posting:{pid}           hash    one posting's fields
//   billing:{b}:entries:{account}       list    posting ids touching the account, in order
//   billing:{b}:lease:{id}              string  Lease (protobuf), from LeaseCreated
//   billing:{b}:programs                set     voucher program ids
//   billing:{b}:program:{id}            hash    p: VoucherProgram (protobuf), budget, spent (fen)
//   billing:{b}:voucher:{id}            hash    v: Voucher (protobuf), cap, spent (fen)
//   billing:{b}:spend:{program}         hash    "<tenant>|<provider>" -> fen the program paid
//   billing:{b}:parked                  zset    lease ids with usage waiting for their LeaseCreated, by first (ms)
//   billing:{b}:parked:{lease}          hash    event id -> UsageRecorded (protobuf) waiting for that lease
static class BillingKeys
{
    const string Tag = "billing:{b}";

    public static readonly RedisKey Applied = $"{Tag}:applied";
    public static readonly RedisKey Balances = $"{Tag}:balances";
    public static readonly RedisKey Log = $"{Tag}:log";
    public static readonly RedisKey Programs = $"{Tag}:programs";
    public static readonly RedisKey ParkedLeases = $"{Tag}:parked";

    public static RedisKey Posting(string id) => $"{Tag}:posting:{id}";
    public static RedisKey Entries(string account) => $"{Tag}:entries:{account}";
    public static RedisKey Lease(string id) => $"{Tag}:lease:{id}";
    public static RedisKey Program(string id) => $"{Tag}:program:{id}";
    public static RedisKey Voucher(string id) => $"{Tag}:voucher:{id}";
    public static RedisKey Spend(string programId) => $"{Tag}:spend:{programId}";
    public static RedisKey Parked(string leaseId) => $"{Tag}:parked:{leaseId}";
}
