-- Applies one usage posting exactly once: the dedupe on the producer's event id, the voucher's spend,
-- the four ledger entries, the posting itself and its line in the billing event log, in one atomic step.
-- Every key shares the {billing} hash tag. Amounts are whole fen; debits positive, credits negative.
--
-- KEYS[1] applied       set    event ids already applied
-- KEYS[2] balances      hash   "<account>|<currency>" -> balance in fen
-- KEYS[3] log           stream the billing event log: pid, tenant, provider, hub
-- KEYS[4] posting       hash   the posting's fields
-- KEYS[5..7] entries    list   posting ids per account: tenant, provider, platform fees
-- KEYS[8] fund entries  list   posting ids of the voucher program's fund
-- KEYS[9] voucher       hash   cap, spent (fen)
-- KEYS[10] program      hash   budget, spent (fen)
-- KEYS[11] spend        hash   "<tenant>|<provider>" -> fen the program paid
--
-- ARGV: event id, posting id, amount, fee, voucher share, currency, tenant, provider, program,
--       then field/value pairs describing the posting.

if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
  return { 'duplicate' }
end

local amount, fee, share = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])

-- Adds to a balance. Lua's -0 reaches Redis as "-0", which HINCRBY refuses, and a script that fails
-- half-way keeps what it wrote: so zero is never sent.
local function add(field, fen)
  if fen ~= 0 then redis.call('HINCRBY', KEYS[2], field, fen) end
end
local currency, tenant, provider, program = ARGV[6], ARGV[7], ARGV[8], ARGV[9]

-- A voucher pays its share, never beyond its cap nor its program's budget.
local subsidy = 0
if share > 0 then
  local left = tonumber(redis.call('HGET', KEYS[9], 'cap') or '0') - tonumber(redis.call('HGET', KEYS[9], 'spent') or '0')
  local budget = tonumber(redis.call('HGET', KEYS[10], 'budget') or '0') - tonumber(redis.call('HGET', KEYS[10], 'spent') or '0')
  subsidy = math.max(0, math.min(share, left, budget))
  if subsidy > 0 then
    redis.call('HINCRBY', KEYS[9], 'spent', subsidy)
    redis.call('HINCRBY', KEYS[10], 'spent', subsidy)
    redis.call('HINCRBY', KEYS[11], tenant .. '|' .. provider, subsidy)
  end
end

add('tenant:' .. tenant .. '|' .. currency, amount - subsidy)
add('provider:' .. provider .. '|' .. currency, fee - amount)
add('platform:fees|' .. currency, 0 - fee)
add('voucher-fund:' .. program .. '|' .. currency, subsidy)

local fields = { 'subsidy', subsidy }
for i = 10, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[4], unpack(fields))

redis.call('RPUSH', KEYS[5], ARGV[2])
redis.call('RPUSH', KEYS[6], ARGV[2])
redis.call('RPUSH', KEYS[7], ARGV[2])
if subsidy > 0 then redis.call('RPUSH', KEYS[8], ARGV[2]) end

local id = redis.call('XADD', KEYS[3], '*', 'pid', ARGV[2], 'tenant', tenant, 'provider', provider,
  'hub', redis.call('HGET', KEYS[4], 'hub') or '')
return { 'ok', id, subsidy }
