-- Applies a batch of usage postings, each exactly once: per posting, the dedupe on the producer's event
-- id, the voucher's spend, the four ledger entries, the posting itself, its place on an invoice and its
-- line in the billing event log, all in one atomic step (one script, so one fsync for the batch). Every
-- key is in one shard of the ledger (one hash tag: a tenant's shard). Amounts are whole fen; debits
-- positive, credits negative. What the postings of a batch add to one balance, list, voucher or the
-- posted index is summed here and written once, so Redis does one call per posting (its log line, which
-- holds the posting: its one copy) and a few per batch.
--
-- Everything is decided in C# (LedgerStore): amounts, account and field names, the invoice buckets. The
-- one decision made here is each voucher's share clamped to its cap and to what the shard was granted of
-- its program's budget, because it must be atomic with the spend; postings are applied in order, so a
-- later one sees an earlier one's spend. Nothing is written when:
--   - a close has moved closed-through since the caller chose the buckets ('moved': choose again);
--   - the batch would pay more of a program than the shard was granted, while the program has budget
--     not granted to any shard ('short': the caller asks grant.lua for the targets, and calls again).
--
-- KEYS[1] applied        set    event ids already applied
-- KEYS[2] balances       hash   balance field -> fen
-- KEYS[3] log            stream the billing event log: pid, tenant, provider, hub, subsidy and p (PackedPosting)
-- KEYS[4] closed-through string every bucket before it is closed (ms)
-- KEYS[5] buckets        zset   open buckets by start
-- KEYS[6] posted         hash   posting id -> its log entry id (where a lookup by id reads it)
-- then 9 keys per posting, from k = 6 + 9 * (i - 1):
--   k+1..k+4 entries lists of the tenant, provider, platform fees and voucher fund;
--   k+5 voucher hash (cap, spent); k+6 the program's spend in this shard (spent); k+7 spend hash;
--   k+8 bucket set (tenants with postings in it); k+9 bucket list (the tenant's posting ids in it)
--
-- ARGV[1] the closed-through the buckets were chosen against, ARGV[2] how many postings; then 17 per
-- posting, from a = 3 + 17 * (i - 1): event id, posting id, amount, fee, voucher share, the balance fields
-- of the tenant, provider, platform fees and voucher fund, spend field, tenant, provider, hub, bucket
-- start, what the shard was granted of the program (fen), 1 if the program has nothing left to grant
-- else 0, and the posting packed (carried onto its log line as it is).
--
-- Returns { 'ok', { subsidy per posting, -1 where its event was applied before } }, { 'moved', now } or
-- { 'short', { posting index, target grant (fen), ... } } (one pair per program short).

if tonumber(redis.call('GET', KEYS[4]) or '0') ~= tonumber(ARGV[1]) then
  return { 'moved', redis.call('GET', KEYS[4]) }
end

-- Sums to add (HINCRBY) and ids to append (RPUSH), written once each at the end.
local sums, sumOrder, pushes, pushOrder = {}, {}, {}, {}
local function sum(key, field, fen)
  if fen == 0 then return end
  local of = sums[key]
  if of == nil then of = {}; sums[key] = of end
  if of[field] == nil then of[field] = 0; sumOrder[#sumOrder + 1] = { key, field } end
  of[field] = of[field] + fen
end
local function push(key, value)
  if pushes[key] == nil then pushes[key] = {}; pushOrder[#pushOrder + 1] = key end
  local list = pushes[key]
  list[#list + 1] = value
end

-- What a voucher's cap and the shard's grant of its program still allow, read once and kept up to date here.
local left, spentBefore = {}, {}
local function remaining(key, limit)
  if left[key] == nil then
    spentBefore[key] = tonumber(redis.call('HGET', key, 'spent') or '0')
    left[key] = (limit or tonumber(redis.call('HGET', key, 'cap') or '0')) - spentBefore[key]
  end
  return left[key]
end

-- Where each posting's arguments start, and whether its event was applied before: by an earlier batch,
-- or earlier in this one.
local count, starts, events = tonumber(ARGV[2]), {}, {}
for i = 1, count do
  starts[i] = 3 + 17 * (i - 1)
  events[i] = ARGV[starts[i]]
end
local before = redis.call('SMISMEMBER', KEYS[1], unpack(events))
local seen, fresh, touched = {}, {}, {}

-- First what each voucher would pay, clamped to its cap only, summed by program: a program the shard
-- was not granted enough of, while it has budget left to grant, stops the batch before any write.
local want, wanted, wantedAt, capLeft = {}, {}, {}, {}
for i = 1, count do
  local k, a = 6 + 9 * (i - 1), starts[i]
  local share = tonumber(ARGV[a + 4])
  if before[i] ~= 1 and not seen[events[i]] and share > 0 then
    seen[events[i]] = true
    local voucher = KEYS[k + 5]
    if capLeft[voucher] == nil then capLeft[voucher] = remaining(voucher) end
    want[i] = math.max(0, math.min(share, capLeft[voucher]))
    capLeft[voucher] = capLeft[voucher] - want[i]
    local program = KEYS[k + 6]
    remaining(program, tonumber(ARGV[a + 14]))
    if wanted[program] == nil then wanted[program] = 0; wantedAt[#wantedAt + 1] = { program, i } end
    wanted[program] = wanted[program] + want[i]
  end
end
local short = {}
for _, w in ipairs(wantedAt) do
  local program, i = w[1], w[2]
  if left[program] < wanted[program] and ARGV[starts[i] + 15] ~= '1' then
    short[#short + 1] = i
    short[#short + 1] = spentBefore[program] + wanted[program]
  end
end
if #short > 0 then
  return { 'short', short }
end
seen = {}

local results, posted = {}, {}
for i = 1, count do
  local k, a = 6 + 9 * (i - 1), starts[i]
  local event = events[i]
  if before[i] == 1 or seen[event] then
    results[i] = -1
  else
    seen[event] = true
    fresh[#fresh + 1] = event
    local pid = ARGV[a + 1]
    local amount, fee = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])

    -- A voucher pays its share, never beyond its cap nor the shard's grant of its program's budget.
    local subsidy = 0
    if want[i] ~= nil and want[i] > 0 then
      subsidy = math.max(0, math.min(want[i], left[KEYS[k + 5]], left[KEYS[k + 6]]))
      if subsidy > 0 then
        left[KEYS[k + 5]] = left[KEYS[k + 5]] - subsidy
        left[KEYS[k + 6]] = left[KEYS[k + 6]] - subsidy
        sum(KEYS[k + 5], 'spent', subsidy)
        sum(KEYS[k + 6], 'spent', subsidy)
        sum(KEYS[k + 7], ARGV[a + 9], subsidy)
      end
    end

    sum(KEYS[2], ARGV[a + 5], amount - subsidy)
    sum(KEYS[2], ARGV[a + 6], fee - amount)
    sum(KEYS[2], ARGV[a + 7], 0 - fee)
    sum(KEYS[2], ARGV[a + 8], subsidy)

    push(KEYS[k + 1], pid)
    push(KEYS[k + 2], pid)
    push(KEYS[k + 3], pid)
    if subsidy > 0 then push(KEYS[k + 4], pid) end

    local bucket = ARGV[a + 13]
    if not touched[KEYS[k + 8]] then
      touched[KEYS[k + 8]] = true
      redis.call('ZADD', KEYS[5], bucket, bucket)
    end
    if not touched[KEYS[k + 9]] then
      touched[KEYS[k + 9]] = true
      redis.call('SADD', KEYS[k + 8], ARGV[a + 10])
    end
    push(KEYS[k + 9], pid)

    -- The log line is the posting's one copy: a watcher needs nothing else, a lookup by id finds it by
    -- the posted index. Tenant, provider and hub stay readable for filtering without unpacking.
    local at = redis.call('XADD', KEYS[3], '*', 'pid', pid, 'tenant', ARGV[a + 10], 'provider', ARGV[a + 11],
      'hub', ARGV[a + 12], 'subsidy', subsidy, 'p', ARGV[a + 16])
    posted[#posted + 1] = pid
    posted[#posted + 1] = at
    results[i] = subsidy
  end
end

-- unpack takes a few thousand values at most: lists are appended to in slices.
local function inSlices(call, key, values)
  for from = 1, #values, 1000 do
    redis.call(call, key, unpack(values, from, math.min(from + 999, #values)))
  end
end
if #fresh > 0 then inSlices('SADD', KEYS[1], fresh) end
if #posted > 0 then inSlices('HSET', KEYS[6], posted) end
for _, s in ipairs(sumOrder) do
  local fen = sums[s[1]][s[2]]
  if fen ~= 0 then redis.call('HINCRBY', s[1], s[2], fen) end
end
for _, key in ipairs(pushOrder) do inSlices('RPUSH', key, pushes[key]) end
return { 'ok', results }
