-- Applies one usage posting exactly once: the dedupe on the producer's event id, the voucher's spend,
-- the four ledger entries, the posting itself, its place on an invoice and its line in the billing event
-- log, in one atomic step. Every key shares the {billing} hash tag. Amounts are whole fen; debits
-- positive, credits negative.
--
-- Everything is decided in C# (LedgerStore): amounts, account and field names, the invoice bucket. The
-- one decision made here is the voucher's share clamped to its cap and its program's budget, because it
-- must be atomic with the spend. The bucket was chosen against a closed-through the caller read earlier:
-- if a close has moved it since, nothing is written and the caller chooses again ('moved').
--
-- KEYS[1] applied        set    event ids already applied
-- KEYS[2] balances       hash   balance field -> fen
-- KEYS[3] log            stream the billing event log: pid, tenant, provider, hub
-- KEYS[4] posting        hash   the posting's fields
-- KEYS[5..8] entries     list   posting ids per account: tenant, provider, platform fees, voucher fund
-- KEYS[9] voucher        hash   cap, spent (fen)
-- KEYS[10] program       hash   budget, spent (fen)
-- KEYS[11] spend         hash   spend field -> fen the program paid
-- KEYS[12] closed-through string every bucket before it is closed (ms)
-- KEYS[13] buckets       zset   open buckets by start
-- KEYS[14] bucket        set    tenants with postings in the bucket
-- KEYS[15] bucket list   list   the tenant's posting ids in the bucket
--
-- ARGV[1] event id, [2] posting id, [3] amount, [4] fee, [5] voucher share,
--     [6..9] balance fields of the tenant, provider, platform fees and voucher fund, [10] spend field,
--     [11] tenant, [12] provider, [13] hub, [14] the closed-through the bucket was chosen against,
--     [15] the bucket's start, then field/value pairs describing the posting.

if tonumber(redis.call('GET', KEYS[12]) or '0') ~= tonumber(ARGV[14]) then
  return { 'moved', redis.call('GET', KEYS[12]) }
end
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
  return { 'duplicate' }
end

local amount, fee, share = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])

-- Adds to a balance. Lua's -0 reaches Redis as "-0", which HINCRBY refuses, and a script that fails
-- half-way keeps what it wrote: so zero is never sent.
local function add(field, fen)
  if fen ~= 0 then redis.call('HINCRBY', KEYS[2], field, fen) end
end

-- A voucher pays its share, never beyond its cap nor its program's budget.
local subsidy = 0
if share > 0 then
  local left = tonumber(redis.call('HGET', KEYS[9], 'cap') or '0') - tonumber(redis.call('HGET', KEYS[9], 'spent') or '0')
  local budget = tonumber(redis.call('HGET', KEYS[10], 'budget') or '0') - tonumber(redis.call('HGET', KEYS[10], 'spent') or '0')
  subsidy = math.max(0, math.min(share, left, budget))
  if subsidy > 0 then
    redis.call('HINCRBY', KEYS[9], 'spent', subsidy)
    redis.call('HINCRBY', KEYS[10], 'spent', subsidy)
    redis.call('HINCRBY', KEYS[11], ARGV[10], subsidy)
  end
end

add(ARGV[6], amount - subsidy)
add(ARGV[7], fee - amount)
add(ARGV[8], 0 - fee)
add(ARGV[9], subsidy)

local fields = { 'subsidy', subsidy }
for i = 16, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[4], unpack(fields))

redis.call('RPUSH', KEYS[5], ARGV[2])
redis.call('RPUSH', KEYS[6], ARGV[2])
redis.call('RPUSH', KEYS[7], ARGV[2])
if subsidy > 0 then redis.call('RPUSH', KEYS[8], ARGV[2]) end

redis.call('ZADD', KEYS[13], ARGV[15], ARGV[15])
redis.call('SADD', KEYS[14], ARGV[11])
redis.call('RPUSH', KEYS[15], ARGV[2])

local id = redis.call('XADD', KEYS[3], '*', 'pid', ARGV[2], 'tenant', ARGV[11], 'provider', ARGV[12], 'hub', ARGV[13])
return { 'ok', id, subsidy }
