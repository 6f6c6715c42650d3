using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// Billing's Redis keys outside the ledger's shards, all under one hash tag (`billing:{b}`), which is also
// the one shard's tag when the ledger is not split (LedgerShard has the keys of a shard):
//
//   billing:{b}:shards                  string  how many shards the ledger was split into
//   billing:{b}:lease:{id}              string  Lease (protobuf), from LeaseCreated
//   billing:{b}:parked                  zset    lease ids with usage waiting for their LeaseCreated, by first (ms)
//   billing:{b}:parked:{lease}          hash    event id -> UsageRecorded (protobuf) waiting for that lease
//   billing:{b}:programs                set     voucher program ids
//   billing:{b}:program:{id}            hash    p: VoucherProgram (protobuf), budget (fen), granted (fen, to all
//                                               shards), g:{shard} (fen granted to that shard)
//   billing:{b}:voucher:{id}            hash    v: Voucher (protobuf)
//   billing:{b}:invoice-seq             string  the last invoice number given out
//   billing:{b}:invoice-numbers         hash    invoice id -> its number, given once
//
// A lease and usage parked for it share a slot (parking checks the lease in the same step); a program's
// budget is granted to shards from here, a slice at a time, so no posting waits on another shard.
static class BillingKeys
{
    public const string GlobalTag = "billing:{b}";

    public static readonly RedisKey ShardCount = $"{GlobalTag}:shards";
    public static readonly RedisKey Programs = $"{GlobalTag}:programs";
    public static readonly RedisKey ParkedLeases = $"{GlobalTag}:parked";
    public static readonly RedisKey InvoiceSequence = $"{GlobalTag}:invoice-seq";
    public static readonly RedisKey InvoiceNumbers = $"{GlobalTag}:invoice-numbers";

    public static RedisKey Lease(string id) => $"{GlobalTag}:lease:{id}";
    public static RedisKey Parked(string leaseId) => $"{GlobalTag}:parked:{leaseId}";
    public static RedisKey Program(string id) => $"{GlobalTag}:program:{id}";
    public static RedisKey Voucher(string id) => $"{GlobalTag}:voucher:{id}";

    // The field of a program's hash with what was granted to one shard.
    public static string GrantField(int shard) => $"g:{shard}";
}
