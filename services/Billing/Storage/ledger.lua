-- Applies a batch of usage postings, each exactly once: per posting, the dedupe on the producer's event
-- id, the voucher's spend, the four ledger entries, the posting itself, its place on an invoice and its
-- line in the billing event log, all in one atomic step (one script, so one fsync for the batch). Every
-- key is in one shard of the ledger (one hash tag: a tenant's shard). Amounts are whole fen; debits
-- positive, credits negative. What the postings of a batch add to one balance, list or voucher is summed
-- here and written once, so Redis does two calls per posting (its hash and its log line) and a few per batch.
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
-- KEYS[3] log            stream the billing event log: pid and the posting's fields (as its hash has them)
-- KEYS[4] closed-through string every bucket before it is closed (ms)
-- KEYS[5] buckets        zset   open buckets by start
-- then 10 keys per posting, from k = 5 + 10 * (i - 1):
--   k+1 posting hash; k+2..k+5 entries lists of the tenant, provider, platform fees and voucher fund;
--   k+6 voucher hash (cap, spent); k+7 the program's spend in this shard (spent); k+8 spend hash;
--   k+9 bucket set (tenants with postings in it); k+10 bucket list (the tenant's posting ids in it)
--
-- ARGV[1] the closed-through the buckets were chosen against, ARGV[2] how many postings; then per posting:
--   event id, posting id, amount, fee, voucher share, the balance fields of the tenant, provider, platform
--   fees and voucher fund, spend field, tenant, provider, hub, bucket start, what the shard was granted of
--   the program (fen), 1 if the program has nothing left to grant else 0, n, then n field/value pairs of
--   the posting.
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
  local id = key .. '\0' .. field
  if sums[id] == nil then sums[id] = 0; sumOrder[#sumOrder + 1] = { key, field, id } end
  sums[id] = sums[id] + fen
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

-- Where each posting's arguments start (each has n field/value pairs at its end), and whether its event
-- was applied before: by an earlier batch, or earlier in this one.
local count, starts, events = tonumber(ARGV[2]), {}, {}
local a = 3
for i = 1, count do
  starts[i], events[i] = a, ARGV[a]
  a = a + 17 + 2 * tonumber(ARGV[a + 16])
end
local before = redis.call('SMISMEMBER', KEYS[1], unpack(events))
local seen, fresh, touched = {}, {}, {}

-- First what each voucher would pay, clamped to its cap only, summed by program: a program the shard
-- was not granted enough of, while it has budget left to grant, stops the batch before any write.
local want, wanted, wantedAt, capLeft = {}, {}, {}, {}
for i = 1, count do
  local k, a = 5 + 10 * (i - 1), starts[i]
  local share = tonumber(ARGV[a + 4])
  if before[i] ~= 1 and not seen[events[i]] and share > 0 then
    seen[events[i]] = true
    local voucher = KEYS[k + 6]
    if capLeft[voucher] == nil then capLeft[voucher] = remaining(voucher) end
    want[i] = math.max(0, math.min(share, capLeft[voucher]))
    capLeft[voucher] = capLeft[voucher] - want[i]
    local program = KEYS[k + 7]
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

local results = {}
for i = 1, count do
  local k, a = 5 + 10 * (i - 1), starts[i]
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
      subsidy = math.max(0, math.min(want[i], left[KEYS[k + 6]], left[KEYS[k + 7]]))
      if subsidy > 0 then
        left[KEYS[k + 6]] = left[KEYS[k + 6]] - subsidy
        left[KEYS[k + 7]] = left[KEYS[k + 7]] - subsidy
        sum(KEYS[k + 6], 'spent', subsidy)
        sum(KEYS[k + 7], 'spent', subsidy)
        sum(KEYS[k + 8], ARGV[a + 9], subsidy)
      end
    end

    sum(KEYS[2], ARGV[a + 5], amount - subsidy)
    sum(KEYS[2], ARGV[a + 6], fee - amount)
    sum(KEYS[2], ARGV[a + 7], 0 - fee)
    sum(KEYS[2], ARGV[a + 8], subsidy)

    local fields = { 'subsidy', subsidy }
    for j = a + 17, a + 16 + 2 * tonumber(ARGV[a + 16]) do fields[#fields + 1] = ARGV[j] end
    redis.call('HSET', KEYS[k + 1], unpack(fields))

    push(KEYS[k + 2], pid)
    push(KEYS[k + 3], pid)
    push(KEYS[k + 4], pid)
    if subsidy > 0 then push(KEYS[k + 5], pid) end

    local bucket = ARGV[a + 13]
    if not touched[KEYS[k + 9]] then
      touched[KEYS[k + 9]] = true
      redis.call('ZADD', KEYS[5], bucket, bucket)
    end
    if not touched[KEYS[k + 10]] then
      touched[KEYS[k + 10]] = true
      redis.call('SADD', KEYS[k + 9], ARGV[a + 10])
    end
    push(KEYS[k + 10], pid)

    -- The log line carries the posting whole (tenant, provider and hub among its fields), so a reader
    -- needs no HGETALL.
    redis.call('XADD', KEYS[3], '*', 'pid', pid, unpack(fields))
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
for _, s in ipairs(sumOrder) do
  if sums[s[3]] ~= 0 then redis.call('HINCRBY', s[1], s[2], sums[s[3]]) end
end
for _, key in ipairs(pushOrder) do inSlices('RPUSH', key, pushes[key]) end
return { 'ok', results }
